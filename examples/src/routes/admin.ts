// Staff administration over TypeORM: staff directory and search, staff profiles, teams with their owners.
import { Router } from 'express';
import type { Repository } from 'typeorm';
import { dataSource, Team, User } from '../db/dataSource';
import { authorize } from '../middleware/auth';

export function adminRouter(): Router {
  const users: Repository<User> = dataSource.getRepository(User);
  const teams: Repository<Team> = dataSource.getRepository(Team);
  const router = Router();
  router.use(authorize('admin:access'));

  /** Full staff directory for the admin sidebar. */
  router.get('/staff', async (_req, res) => {
    const staff = await users.find({ where: { active: true }, order: { displayName: 'ASC' } });
    res.json(staff);
  });

  router.get('/staff/search', async (req, res) => {
    const pageSize = Math.min(Number(req.query.pageSize ?? 25), 100);
    const page = Math.max(Number(req.query.page ?? 1), 1);
    const term = `%${String(req.query.q ?? '')}%`;
    const query = users.createQueryBuilder('u').where('u.displayName ILIKE :term OR u.email ILIKE :term', { term });
    const staff = await query.orderBy('u.id').skip((page - 1) * pageSize).take(pageSize).getMany();
    res.json({ page, pageSize, staff });
  });

  router.get('/staff/:id', async (req, res) => {
    const user = await users.findOne({ where: { id: Number(req.params.id) }, relations: { team: true } });
    if (!user) {
      res.status(404).json({ error: 'staff user not found' });
      return;
    }
    res.json(user);
  });

  /** Teams page: the first 50 teams with their owner's name. */
  router.get('/teams', async (_req, res) => {
    const firstTeams = await teams.find({ order: { name: 'ASC' }, take: 50 });
    const result = [];
    for (const team of firstTeams) {
      const owner = await users.findOneBy({ id: team.ownerId });
      result.push({ ...team, ownerName: owner?.displayName ?? null });
    }
    res.json(result);
  });

  router.patch('/staff/:id/role', async (req, res) => {
    const role = String(req.body?.role ?? '');
    if (!['support', 'manager', 'admin'].includes(role)) {
      res.status(422).json({ error: `unknown role ${role}` });
      return;
    }
    await users.update({ id: Number(req.params.id) }, { role });
    res.status(204).end();
  });

  return router;
}
