// Field resolvers of code-first GraphQL types: reported when some query or field lists the type whole; silent when every
// list of it is a page (take/cursor arguments, a paging args class) or it is never listed.
import { dedent, runRuleTests } from './ruleTester';

const head = dedent`
  import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
  import { PrismaClient } from '@prisma/client';
  const prisma = new PrismaClient();
  class Team {
    id!: string;
  }
  class Member {
    id!: string;
  }
`;

const membersResolver = dedent`
  @Resolver(() => Team)
  export class TeamResolver {
    @ResolveField(() => [Member])
    members(@Parent() team: Team) {
      return prisma.member.findMany({ where: { teamId: team.id } });
    }
  }
`;

const reportedMembers = dedent`
  @Resolver(() => Team)
  export class TeamResolver {
    @ResolveField(() => [Member])
    members(@Parent() team: Team) {
      return prisma.member.findMany({ where: { teamId: team.id } });
             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    }
  }
`;

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'every list of the type takes a cursor argument',
      code: dedent`
        ${head}
        ${membersResolver}
        @Resolver()
        export class TeamQueries {
          @Query(() => [Team])
          myTeams(@Args({ name: 'cursor', type: () => ID, nullable: true }) cursor?: string) {
            return prisma.team.findMany({ take: 10, cursor: cursor ? { id: cursor } : undefined });
          }
        }
      `,
    },
    {
      name: 'every list of the type takes a paging args class (by its fields)',
      code: dedent`
        ${head}
        class TeamListArgs {
          take?: number;
          skip?: number;
        }
        ${membersResolver}
        @Resolver()
        export class TeamQueries {
          @Query(() => [Team])
          allTeams(@Args() args: TeamListArgs) {
            return prisma.team.findMany({ take: args.take, skip: args.skip });
          }
        }
      `,
    },
    {
      name: 'the type is never served in a list',
      code: dedent`
        ${head}
        ${membersResolver}
        @Resolver()
        export class TeamQueries {
          @Query(() => Team)
          team(@Args('id') id: string) {
            return prisma.team.findUnique({ where: { id } });
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a query lists the type whole',
      code: dedent`
        ${head}
        ${reportedMembers}
        @Resolver()
        export class TeamQueries {
          @Query(() => [Team])
          teams() {
            return prisma.team.findMany();
          }
        }
      `,
      errors: [{ messageId: 'perParent' }],
    },
    {
      name: 'one paged list and one whole one: the whole one decides',
      code: dedent`
        ${head}
        ${reportedMembers}
        @Resolver()
        export class TeamQueries {
          @Query(() => [Team])
          myTeams(@Args('take') take: number) {
            return prisma.team.findMany({ take });
          }
          @Query(() => [Team])
          everyTeam() {
            return prisma.team.findMany();
          }
        }
      `,
      errors: [{ messageId: 'perParent' }],
    },
    {
      name: 'a schema-first resolver (the type named by a string) is reported: the lists are in SDL',
      code: dedent`
        ${head}
        @Resolver('Team')
        export class TeamResolver {
          @ResolveField()
          members(@Parent() team: Team) {
            return prisma.member.findMany({ where: { teamId: team.id } });
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'perParent' }],
    },
  ],
});
