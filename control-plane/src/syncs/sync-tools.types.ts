import { GraphQLJSON } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';

@InputType()
export class PreviewMappingInput {
  @Field({ description: 'The JSONata mapping to try' }) mapping: string;
  @Field(() => GraphQLJSON, { description: 'A sample record, as the source returns it (available as `record`)' }) record: unknown;
  @Field({ nullable: true, description: 'An entity filter to try on the same record' }) filter?: string;
}

@ObjectType()
export class JsonataProblem {
  @Field() message: string;
  @Field(() => Int, { nullable: true, description: 'Character position in the expression' }) position: number | null;
  @Field(() => String, { nullable: true }) token: string | null;
  @Field({ description: 'mapping or filter' }) in: string;
}

@ObjectType({ description: 'What the mapping makes of a record; nothing is stored or sent.' })
export class MappingPreview {
  @Field(() => GraphQLJSON, { nullable: true }) output: unknown;
  @Field(() => Boolean, { nullable: true, description: 'Whether the filter lets the record through (null without a filter)' }) passesFilter: boolean | null;
  @Field(() => JsonataProblem, { nullable: true }) error: JsonataProblem | null;
}

@ObjectType()
export class SyncVersionChange {
  @Field({ description: 'Dot path in the definition, e.g. target.params.databaseId' }) path: string;
  @Field(() => GraphQLJSON, { nullable: true }) before: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after: unknown;
}
