import { Field, ObjectType } from 'type-graphql';

@ObjectType()
export class TriggerHeader {
  @Field() name: string;
  @Field({ description: 'What to put there (the inbound key is shown once, by createInboundKey or rotateInboundKey)' }) value: string;
}

@ObjectType({ description: "The exact settings to paste into an origin platform that has no webhooks API (e.g. BlueConic's Webhook connection)" })
export class TriggerSetup {
  @Field({ description: 'The origin connector, e.g. blueconic' }) connector: string;
  @Field() method: string;
  @Field({ description: "URL with the record id placeholder in the platform's own template syntax, e.g. …/hooks?id={{id}}" }) url: string;
  @Field(() => [TriggerHeader]) headers: TriggerHeader[];
  @Field(() => [String], { description: 'Properties the mapping reads: changes of these should trigger the call' }) watchedProperties: string[];
  @Field() instructions: string;
  @Field(() => String, { nullable: true }) docs: string | null;
}
