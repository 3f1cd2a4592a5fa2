import type { CompatibilityReport as Report } from '@datahub/connectors';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A trigger shape the source offers a sync' })
export class CompatibilityTrigger {
  @Field({ description: 'notify (an id; the hub fetches), push (the record is posted) or bulk (scheduled runs over a list)' }) kind: string;
  @Field() available: boolean;
  @Field(() => [String], { description: 'The source operations it uses' }) operations: string[];
  @Field() detail: string;
}

@ObjectType()
export class CompatibilityOperation {
  @Field() name: string;
  @Field() kind: string;
  @Field() description: string;
  @Field({ description: 'The HTTP call(s) it makes' }) calls: string;
}

@ObjectType({ description: 'A source field that can fill a target field' })
export class CompatibilityFieldMatch {
  @Field() sourceField: string;
  @Field() sourceType: string;
  @Field() targetField: string;
  @Field() targetType: string;
  @Field({ description: 'name (equal names, ignoring case, separators and the object path) or description (the source field holds it)' }) basis: string;
  @Field() typeCompatible: boolean;
  @Field() note: string;
}

@ObjectType()
export class CompatibilityAuth {
  @Field({ description: 'Credential kind, as createCredential takes it' }) kind: string;
  @Field() detail: string;
}

@ObjectType()
export class CompatibilityFormat {
  @Field({ description: 'source or target' }) side: string;
  @Field() what: string;
}

@ObjectType({ description: 'What a sync between two connectors can use and still needs, from their manifests' })
export class CompatibilityReport {
  @Field() source: string;
  @Field() target: string;
  @Field({ description: 'The source offers a trigger and the target takes deliveries' }) compatible: boolean;
  @Field(() => [CompatibilityTrigger]) triggers: CompatibilityTrigger[];
  @Field(() => [CompatibilityOperation], { description: 'Source operations a sync or bulk run can read with (get, search, list)' }) sourceOperations: CompatibilityOperation[];
  @Field(() => [CompatibilityOperation], { description: 'Target operations a sync can deliver with (upsert, create, update)' }) targetOperations: CompatibilityOperation[];
  @Field(() => [CompatibilityFieldMatch]) fields: CompatibilityFieldMatch[];
  @Field(() => [String], { description: "Target fields nothing in the source's catalog matches: the mapping must produce them" }) unmatchedTargetFields: string[];
  @Field(() => [CompatibilityAuth]) sourceAuth: CompatibilityAuth[];
  @Field(() => [CompatibilityAuth]) targetAuth: CompatibilityAuth[];
  @Field(() => [CompatibilityFormat], { description: 'Body formats, pagination and published rate limits' }) formats: CompatibilityFormat[];
  @Field(() => [String], { description: 'What a sync between them still needs, in order' }) needs: string[];

  static from(r: Report): CompatibilityReport {
    return Object.assign(new CompatibilityReport(), { ...r, sourceAuth: r.auth.source, targetAuth: r.auth.target });
  }
}
