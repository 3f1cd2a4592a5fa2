import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global id (Relay).' })
export abstract class Node {
  @Field(() => ID) id: string;
}
