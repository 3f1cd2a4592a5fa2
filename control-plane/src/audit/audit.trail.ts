/** What a service tells the audit log about the object a mutation changed (set during the request). */
export interface AuditChange {
  tenantId?: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

export class AuditTrail {
  change: AuditChange = {};

  record(change: AuditChange): void {
    this.change = { ...this.change, ...change };
  }
}
