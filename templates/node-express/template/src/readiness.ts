/**
 * Whether the service takes new work. Readiness goes off for good once the service is told
 * to stop: from then on GET /ready answers 503, so load balancers stop sending requests,
 * while every other route is still served until the server closes.
 */
export class Readiness {
  #draining = false;

  /** Whether the service is shutting down. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Turns readiness off. */
  drain(): void {
    this.#draining = true;
  }
}
