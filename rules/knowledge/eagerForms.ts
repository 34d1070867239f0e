// How a relation walked per element is loaded with the rows read just before (ORM eager loading), as data.
import { z } from 'zod';

/** Where a relation's name is declared, so the fix names only relations the models really have. */
export const RelationDeclaration = z.discriminatedUnion('kind', [
  /** `Post.belongsTo(User, { as: 'author' })`: the source model, the target model first, the alias in an option. */
  z.object({
    kind: z.literal('associationCall'),
    methods: z.array(z.string()),
    aliasOption: z.string(),
    /** The accessor the alias gives instances (`get` + `Author`), matched against the per-element method. */
    accessorPrefix: z.string(),
  }),
  /** `@ManyToOne(() => User) author: User` in the entity class. */
  z.object({ kind: z.literal('decorator'), decorators: z.array(z.string()) }),
]);
export type RelationDeclaration = z.infer<typeof RelationDeclaration>;

/**
 * How a relation walked per element of rows read just before is loaded with those rows instead (ORM eager loading):
 * the parent read gets `include`/`populate`/`relations`/a join, the per-element read becomes the loaded value. `$REL`
 * is the relation, `$QREL` it quoted, `$EL` the element, `$MODEL` the related model (from the declaration).
 */
export const EagerForm = z.object({
  /**
   * How the per-element read names the relation: a fluent call after a by-id read of the element
   * (`findUnique(…).posts()`), the string argument of a method called on the element (`comment.populate('author')`),
   * an association accessor of the element (`post.getAuthor()`), or a relation query builder
   * (`relation(Post, 'author').of(post).loadOne()`).
   */
  relation: z.enum(['fluentCall', 'elementArgument', 'accessor', 'relationBuilder']),
  /** Per-element methods the form applies to besides its key (Sequelize's `get<Alias>` accessors), as a RegExp. */
  methodPattern: z.string().optional(),
  /** The relation must be declared (same file) for an edit; when it is not, the action only explains. */
  declared: RelationDeclaration.optional(),
  /** Methods of the parent read (the loop collection's initializer) this form can extend. */
  parents: z.array(z.string()),
  /** How the parent read loads the relation: an entry of an options object, or a call chained after it. */
  load: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('option'),
      arg: z.number().int(),
      property: z.string(),
      /** The entry in an object (`include: { posts: true }`); an existing object property is extended with it. */
      entry: z.string().optional(),
      /** The element in an array (`include: [{ model: User, as: 'author' }]`, `relations: ['author']`). */
      arrayEntry: z.string().optional(),
      /** The shape of a property the fix adds. */
      shape: z.enum(['object', 'array']).default('object'),
    }),
    z.object({ kind: z.literal('chain'), call: z.string() }),
  ]),
  /**
   * Parent reads through a query builder (`createQueryBuilder('post')….getMany()`): the join goes right after the
   * call that names the alias. `$ALIAS` is that alias, `$JOIN` a fresh alias for the relation.
   */
  builderLoad: z
    .object({ parents: z.array(z.string()), start: z.string(), call: z.string(), refuse: z.array(z.string()) })
    .optional(),
  /** Calls on a receiver that give an entity's repository (`getRepository(Post)`), to know which entity is read. */
  repositoryOf: z.array(z.string()).default([]),
  /** Options of the parent read that rule the relation out (`select` picks fields: the relation is not among them). */
  refuseOptions: z.array(z.string()).default([]),
  /** What the per-element read becomes. */
  replacement: z.string(),
});
export type EagerForm = z.infer<typeof EagerForm>;

export const prismaEager: z.input<typeof EagerForm> = {
  relation: 'fluentCall',
  parents: ['findMany'],
  load: { kind: 'option', arg: 0, property: 'include', entry: '$REL: true' },
  refuseOptions: ['select'],
  replacement: '$EL.$REL',
};

/**
 * Sequelize: `post.getAuthor()` per element of `Post.findAll(…)` → `include: [{ model: User, as: 'author' }]` and
 * `post.author` (null for a missing row, as the getter gave; `[]` for a hasMany alias).
 */
export const sequelizeEager: z.input<typeof EagerForm> = {
  relation: 'accessor',
  methodPattern: '^get[A-Z]',
  declared: {
    kind: 'associationCall',
    methods: ['belongsTo', 'hasOne', 'hasMany', 'belongsToMany'],
    aliasOption: 'as',
    accessorPrefix: 'get',
  },
  parents: ['findAll'],
  load: { kind: 'option', arg: 0, property: 'include', arrayEntry: '{ model: $MODEL, as: $QREL }', shape: 'array' },
  // Raw rows are plain objects without nested associations; a `group` would fold the joined rows.
  refuseOptions: ['raw', 'group'],
  replacement: '$EL.$REL',
};

/** TypeORM: `relation(Post, 'author').of(post).loadOne()` per element → `relations` / `leftJoinAndSelect`. */
const typeormEager = (replacement: string): z.input<typeof EagerForm> => ({
  relation: 'relationBuilder',
  declared: { kind: 'decorator', decorators: ['ManyToOne', 'OneToOne', 'OneToMany', 'ManyToMany'] },
  parents: ['find', 'getMany'],
  // TypeORM 1.x takes only the object form (`relations: { author: true }`); an existing array (0.3) gets the name.
  load: { kind: 'option', arg: 0, property: 'relations', arrayEntry: '$QREL', entry: '$REL: true', shape: 'object' },
  builderLoad: {
    parents: ['getMany'],
    start: 'createQueryBuilder',
    call: 'leftJoinAndSelect($QALIAS_REL, $QJOIN)',
    // Raw reads return columns, not entities with relations; a `select` leaves the joined columns out.
    refuse: ['getRawMany', 'select'],
  },
  repositoryOf: ['getRepository'],
  refuseOptions: ['select', 'loadRelationIds'],
  replacement,
});
/** `loadOne()` resolves `undefined` for no row where the loaded relation is `null`: `?? undefined` keeps it. */
export const typeormEagerOne = typeormEager('($EL.$REL ?? undefined)');
export const typeormEagerMany = typeormEager('$EL.$REL');
