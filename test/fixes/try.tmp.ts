import { analyseCaseInSession, applyFix, editsOf } from '../rules/ruleTester';
const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const pg = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
const cases = [
  `${prisma}export async function f(users: { id: string }[]) {\n  for (const u of users) {\n    await prisma.user.update({ where: { id: u.id }, data: { active: true } });\n  }\n}\n`,
  `${prisma}export async function f(users: { id: string }[]) {\n  await Promise.all(users.map((u, i) => prisma.user.update({ where: { id: u.id }, data: { orderIndex: i } })));\n}\n`,
  `${prisma}export async function f(users: { id: string }[]) {\n  await prisma.$transaction(async (tx) => {\n    for (const u of users) await tx.user.update({ where: { id: u.id }, data: { name: u.id } });\n  });\n}\n`,
  `${pg}export async function f(users: { id: number; name: string }[]) {\n  for (const u of users) await pool.query('UPDATE users SET name = $1, updated_at = now() WHERE id = $2', [u.name, u.id]);\n}\n`,
  `${pg}export async function f(ids: number[]) {\n  for (const id of ids) await pool.query('UPDATE users SET active = $1 WHERE id = $2', [true, id]);\n}\n`,
  `import { Sequelize, Model } from 'sequelize';\nclass User extends Model {}\nexport async function f(users: { id: number; name: string }[]) {\n  for (const u of users) await User.update({ name: u.name }, { where: { id: u.id } });\n}\n`,
  `import { Sequelize, Model } from 'sequelize';\nclass User extends Model {}\nexport async function f(users: { id: number }[]) {\n  for (const u of users) await User.update({ active: true }, { where: { id: u.id } });\n}\n`,
  `import mongoose from 'mongoose';\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\nexport async function f(users: { id: string; name: string }[]) {\n  for (const u of users) await User.updateOne({ _id: u.id }, { name: u.name });\n}\n`,
];
for (const code of cases) {
  const { session, findings } = analyseCaseInSession({ code }, 'n-plus-one');
  for (const f of findings) {
    console.log('MSG', f.message);
    for (const fix of f.fixes) {
      console.log('FIX', fix.title, fix.explanation ?? '');
      if (!fix.explanation) { try { console.log(applyFix(code, editsOf(session, '/project/src/case.ts', fix), '/project/src/case.ts')); } catch (e) { console.log('ERR', (e as Error).message); } }
    }
  }
  console.log('-----');
}
