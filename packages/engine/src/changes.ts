// The engine knows one thing about a node's tracked changes: whether any were recorded. An empty
// record means "this node did not change", so nothing downstream of it is touched.

export interface TrackedChanges {
  isEmpty(): boolean;
}

/**
 * Tracked changes that only say *that* something changed, for nodes whose dependents have no
 * incremental handler for them (those dependents recompute when the node is touched).
 */
export class Touched implements TrackedChanges {
  #touched = false;

  mark(): void {
    this.#touched = true;
  }

  isEmpty(): boolean {
    return !this.#touched;
  }
}
