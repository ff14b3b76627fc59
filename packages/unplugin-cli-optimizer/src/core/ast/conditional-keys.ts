/**
 * For each node type, the child keys whose code may not run when the node runs: branches,
 * loop bodies, the right side of `&&`/`||`/`??`, optional-chain tails, default values, and a
 * `try`'s handler and finalizer. Code under these keys runs only sometimes.
 */
export const CONDITIONAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  IfStatement: ['consequent', 'alternate'],
  ConditionalExpression: ['consequent', 'alternate'],
  LogicalExpression: ['right'],
  SwitchStatement: ['cases'],
  WhileStatement: ['body'],
  DoWhileStatement: [],
  ForStatement: ['body', 'test', 'update'],
  ForInStatement: ['body'],
  ForOfStatement: ['body'],
  TryStatement: ['handler', 'finalizer'],
  OptionalCallExpression: ['arguments'],
  OptionalMemberExpression: ['property'],
  AssignmentPattern: ['right'],
}
