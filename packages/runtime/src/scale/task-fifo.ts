/**
 * A FIFO with O(1) push and shift and O(1) removal from anywhere (an aborted task leaves the
 * queue without a scan): removed items are marked and skipped when they reach the head.
 */
export class TaskFifo<T extends { removed: boolean }> {
  #items: (T | undefined)[] = []
  #head = 0
  #size = 0

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    this.#items.push(item)
    this.#size++
  }

  /** The oldest item still queued, without removing it. */
  peek(): T | undefined {
    this.#skipRemoved()
    return this.#items[this.#head]
  }

  shift(): T | undefined {
    this.#skipRemoved()
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]!
    this.#items[this.#head++] = undefined
    this.#size--
    this.#compact()
    return item
  }

  remove(item: T): void {
    if (item.removed) return
    item.removed = true
    this.#size--
  }

  /** Empties the queue, returning what was in it. */
  drain(): T[] {
    const out: T[] = []
    for (let item = this.shift(); item; item = this.shift()) out.push(item)
    return out
  }

  #skipRemoved(): void {
    while (this.#head < this.#items.length && this.#items[this.#head]!.removed) this.#items[this.#head++] = undefined
    this.#compact()
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}
