import { Field, ObjectType } from 'type-graphql';
import type { ConnectorManifest } from '@datahub/connectors';

@ObjectType()
export class ConnectorOperation {
  @Field() name: string;
  @Field({ description: 'get, search, list, create, update, upsert or test' }) kind: string;
  @Field() description: string;
}

@ObjectType()
export class ConnectorParam {
  @Field() name: string;
  @Field() description: string;
  @Field() required: boolean;
  @Field(() => String, { nullable: true }) default: string | null;
}

@ObjectType()
export class ConnectorField {
  @Field() name: string;
  @Field() type: string;
  @Field(() => String, { nullable: true }) description: string | null;
}

@ObjectType({ description: 'A platform the hub can talk to, from its connector manifest.' })
export class Connector {
  @Field() id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) docs: string | null;
  @Field() baseUrlTemplate: string;
  @Field(() => [String], { description: 'Credential kinds it accepts' }) auth: string[];
  @Field(() => [ConnectorOperation]) operations: ConnectorOperation[];
  @Field(() => [ConnectorParam]) params: ConnectorParam[];
  @Field(() => [ConnectorField]) fields: ConnectorField[];

  static from(m: ConnectorManifest): Connector {
    return Object.assign(new Connector(), {
      id: m.id, name: m.name, docs: m.docs ?? null, baseUrlTemplate: m.baseUrlTemplate, auth: m.auth,
      operations: Object.entries(m.operations).map(([name, op]) => ({ name, kind: op.kind, description: op.description })),
      params: Object.entries(m.params ?? {}).map(([name, p]) => ({ name, description: p.description, required: !!p.required, default: p.default ?? null })),
      fields: (m.fields ?? []).map((f) => ({ name: f.name, type: f.type, description: f.description ?? null })),
    });
  }
}
