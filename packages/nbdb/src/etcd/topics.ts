// Which topic an id lives in, remembered from this client's reads and writes, so that reaching an
// object by id usually costs one read instead of two (locator, then object). A stale entry is
// harmless: at any revision an id exists under at most one topic (creating it requires its
// locator to be absent), so finding the object under the remembered topic proves it is there;
// not finding it sends us to the locator.
const MAX_ENTRIES = 100_000;

export class TopicCache {
  private readonly topics = new Map<string, string>();

  get(table: string, id: string): string | undefined {
    return this.topics.get(`${table}/${id}`);
  }

  remember(table: string, id: string, topic: string): void {
    const key = `${table}/${id}`;
    if (this.topics.get(key) === topic) return;
    if (this.topics.size >= MAX_ENTRIES) {
      // Oldest first (Map iteration is insertion order); a rough LRU is enough for a hint.
      const oldest = this.topics.keys().next();
      if (!oldest.done) this.topics.delete(oldest.value);
    }
    this.topics.set(key, topic);
  }

  forget(table: string, id: string): void {
    this.topics.delete(`${table}/${id}`);
  }
}
