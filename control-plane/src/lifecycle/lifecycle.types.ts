import { Field, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a delete mutation removed' })
export class Deleted {
  @Field(() => ID, { description: 'The global id the object had' }) id: string;
}

@InputType()
export class UpdateSyncInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true, description: 'Left out: unchanged' }) name?: string;
  @Field({ nullable: true, description: 'Left out: unchanged; "" clears it' }) description?: string;
}

@InputType()
export class RenameInput {
  @Field(() => ID) id: string;
  @Field() name: string;
}

@InputType()
export class UpdateSyncTemplateInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true, description: 'Left out: unchanged' }) name?: string;
  @Field({ nullable: true, description: 'Left out: unchanged' }) description?: string;
}
