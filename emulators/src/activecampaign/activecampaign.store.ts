// In-memory ActiveCampaign account: contacts (by id, email unique), custom fields, lists.
import type { AcContact, AcField, AcList } from './activecampaign.types';

export interface ContactInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  /** field id → value */
  fieldValues?: Record<string, string>;
}

export class ActiveCampaignStore {
  private contacts = new Map<string, AcContact>();
  private byEmail = new Map<string, string>();
  private nextContactId = 1;
  fields: AcField[] = [];
  lists: AcList[] = [];
  private nextFieldId = 1;
  private nextListId = 1;

  constructor(private readonly clock: () => number) {}

  clear(): void {
    this.contacts.clear();
    this.byEmail.clear();
    this.nextContactId = 1;
    this.fields = [];
    this.lists = [];
    this.nextFieldId = 1;
    this.nextListId = 1;
  }

  /** AC timestamps carry the account's offset, e.g. 2018-09-28T13:50:41-05:00; the emulator's account is UTC. */
  private now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  }

  all(): AcContact[] {
    return [...this.contacts.values()].map(copy);
  }

  get size(): number {
    return this.contacts.size;
  }

  get(id: string): AcContact | undefined {
    const c = this.contacts.get(id);
    return c && copy(c);
  }

  findByEmail(email: string): AcContact | undefined {
    const id = this.byEmail.get(email.toLowerCase());
    return id ? this.get(id) : undefined;
  }

  create(input: ContactInput & { email: string }): AcContact {
    const now = this.now();
    const c: AcContact = {
      id: String(this.nextContactId++), email: input.email, firstName: input.firstName ?? '', lastName: input.lastName ?? '',
      phone: input.phone ?? '', cdate: now, udate: now, fieldValues: {}, lists: [],
    };
    this.apply(c, input);
    this.contacts.set(c.id, c);
    this.byEmail.set(c.email.toLowerCase(), c.id);
    return copy(c);
  }

  update(id: string, input: ContactInput): AcContact {
    const c = this.contacts.get(id);
    if (!c) throw new Error(`no contact ${id}`);
    if (input.email !== undefined && input.email.toLowerCase() !== c.email.toLowerCase()) {
      this.byEmail.delete(c.email.toLowerCase());
      this.byEmail.set(input.email.toLowerCase(), c.id);
    }
    this.apply(c, input);
    c.udate = this.now();
    return copy(c);
  }

  delete(id: string): boolean {
    const c = this.contacts.get(id);
    if (!c) return false;
    this.byEmail.delete(c.email.toLowerCase());
    return this.contacts.delete(id);
  }

  private apply(c: AcContact, input: ContactInput): void {
    if (input.email !== undefined) c.email = input.email;
    if (input.firstName !== undefined) c.firstName = input.firstName;
    if (input.lastName !== undefined) c.lastName = input.lastName;
    if (input.phone !== undefined) c.phone = input.phone;
    for (const [field, value] of Object.entries(input.fieldValues ?? {})) c.fieldValues[field] = value;
  }

  field(id: string): AcField | undefined {
    return this.fields.find((f) => f.id === id);
  }

  addField(f: Omit<AcField, 'id'> & { id?: string }): AcField {
    const id = f.id ?? String(this.nextFieldId);
    this.nextFieldId = Math.max(this.nextFieldId, Number(id) + 1 || this.nextFieldId + 1);
    const field = { id, title: f.title, type: f.type, perstag: f.perstag };
    this.fields.push(field);
    return { ...field };
  }

  addList(name: string, stringid?: string): AcList {
    const list = { id: String(this.nextListId++), name, stringid: stringid ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-') };
    this.lists.push(list);
    return { ...list };
  }

  subscribe(contactId: string, listId: string, subscribed: boolean): void {
    const c = this.contacts.get(contactId);
    if (!c) throw new Error(`no contact ${contactId}`);
    c.lists = c.lists.filter((l) => l !== listId);
    if (subscribed) c.lists.push(listId);
  }
}

function copy(c: AcContact): AcContact {
  return { ...c, fieldValues: { ...c.fieldValues }, lists: [...c.lists] };
}
