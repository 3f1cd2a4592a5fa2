/** Wall-clock ms with sub-ms precision, comparable across processes on this machine. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** The e-mail the load's profile `id` carries; the target's received upsert is matched to the event by it. */
export const emailOf = (profileId: string): string => `${profileId}@load.test`;

/** Successful writes the target received (create or update), by the profile's e-mail, with receipt times. */
export class ReceiptLog {
  private readonly byEmail = new Map<string, number[]>();
  private total = 0;

  record(email: string, atMs: number = nowMs()): void {
    const list = this.byEmail.get(email);
    if (list) list.push(atMs);
    else this.byEmail.set(email, [atMs]);
    this.total++;
  }

  of(email: string): readonly number[] | undefined {
    return this.byEmail.get(email);
  }

  get count(): number {
    return this.total;
  }
}
