/** One entry of a {@link WaiterQueue}; the queue owns `previous` and `next`. */
export interface QueueNode<TValue> {
  readonly value: TValue;
  previous: QueueNode<TValue> | undefined;
  next: QueueNode<TValue> | undefined;
  /** False once the node left the queue, so a second removal does nothing. */
  queued: boolean;
}

/**
 * A FIFO queue as a doubly linked list: push, shift and removing any node (an aborted waiter) are O(1).
 */
export class WaiterQueue<TValue> {
  private head: QueueNode<TValue> | undefined;
  private tail: QueueNode<TValue> | undefined;
  /** Number of queued nodes. */
  size = 0;

  /** Appends `value` and returns its node, for {@link WaiterQueue.remove}. */
  push(value: TValue): QueueNode<TValue> {
    const node: QueueNode<TValue> = { value, previous: this.tail, next: undefined, queued: true };
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
    return node;
  }

  /** Removes and returns the oldest value. */
  shift(): TValue | undefined {
    const node = this.head;
    if (node === undefined) return undefined;
    this.remove(node);
    return node.value;
  }

  /** Removes `node` wherever it is; does nothing when it already left the queue. */
  remove(node: QueueNode<TValue>): void {
    if (!node.queued) return;
    node.queued = false;
    if (node.previous === undefined) this.head = node.next;
    else node.previous.next = node.next;
    if (node.next === undefined) this.tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = undefined;
    node.next = undefined;
    this.size--;
  }
}
