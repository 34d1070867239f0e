// TypeORM data source and entities for the staff admin module, which predates the Prisma schema.
import 'reflect-metadata';
import { Column, CreateDateColumn, DataSource, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { config } from '../config';

@Entity({ name: 'teams' })
export class Team {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;

  @Column({ name: 'owner_id' })
  ownerId!: number;
}

@Entity({ name: 'staff_users' })
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ unique: true })
  email!: string;

  @Column({ name: 'display_name' })
  displayName!: string;

  @Column({ default: 'support' })
  role!: string;

  @Column({ default: true })
  active!: boolean;

  @Column({ name: 'team_id', type: 'int', nullable: true })
  teamId!: number | null;

  @ManyToOne(() => Team, { nullable: true })
  @JoinColumn({ name: 'team_id' })
  team!: Team | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** Initialised once by server.ts; TypeORM keeps its own pool of `poolSize` connections. */
export const dataSource = new DataSource({
  type: 'postgres',
  url: config.databaseUrl,
  entities: [User, Team],
  synchronize: false,
  poolSize: 10,
});
