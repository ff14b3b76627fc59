import type { Expression, Node } from '@babel/types'

export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue }

/** The node that makes an expression non-static, so the error can point at it. */
export class NotStaticError extends Error {
  constructor(readonly node: Node, what: string) {
    super(what)
  }
}

/**
 * Evaluates an expression made only of literals: strings, numbers, booleans, null, arrays,
 * plain objects with static keys, template strings without expressions, and negative numbers.
 * Anything else (identifiers, calls, spreads, computed keys, getters) is refused, because the
 * build must not guess at what the code would compute at run time.
 */
export function evaluateStaticLiteral(node: Expression | Node): StaticValue {
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return node.value
    case 'NullLiteral':
      return null
    case 'TemplateLiteral':
      if (node.expressions.length > 0) throw new NotStaticError(node.expressions[0]!, 'a template string with expressions')
      return node.quasis[0]?.value.cooked ?? ''
    case 'UnaryExpression':
      if (node.operator === '-' && node.argument.type === 'NumericLiteral') return -node.argument.value
      throw new NotStaticError(node, `the operator ${node.operator}`)
    case 'ArrayExpression':
      return node.elements.map((element) => {
        if (element === null) throw new NotStaticError(node, 'an array with holes')
        if (element.type === 'SpreadElement') throw new NotStaticError(element, 'a spread')
        return evaluateStaticLiteral(element)
      })
    case 'ObjectExpression': {
      const result: Record<string, StaticValue> = {}
      for (const property of node.properties) {
        if (property.type !== 'ObjectProperty') throw new NotStaticError(property, property.type === 'SpreadElement' ? 'a spread' : 'a method')
        if (property.computed) throw new NotStaticError(property.key, 'a computed key')
        const key = property.key
        const name =
          key.type === 'Identifier' ? key.name : key.type === 'StringLiteral' ? key.value : key.type === 'NumericLiteral' ? String(key.value) : undefined
        if (name === undefined) throw new NotStaticError(key, 'an unsupported key')
        if (property.value.type === 'Identifier' && property.shorthand) throw new NotStaticError(property.value, `the variable ${property.value.name}`)
        result[name] = evaluateStaticLiteral(property.value)
      }
      return result
    }
    case 'Identifier':
      throw new NotStaticError(node, `the variable ${node.name}`)
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return evaluateStaticLiteral(node.expression)
    default:
      throw new NotStaticError(node, `a ${node.type}`)
  }
}
