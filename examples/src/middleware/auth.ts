// Request middleware: session authentication, role permissions, feature flags and per-IP rate limiting.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimitClient, redis } from '../cache/redis';
import { prisma } from '../db/prisma';

export interface SessionUser {
  customerId: string;
  role: string;
  tenantId: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SessionUser;
      permissions?: Set<string>;
    }
  }
}

/** Resolves the bearer token to the session hash that the login service writes (with its own TTL). */
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  const token = req.header('authorization')?.replace(/^Bearer\s+/i, '');
  if (!token) {
    res.status(401).json({ error: 'missing bearer token' });
    return;
  }
  const session = await redis.hgetall(`session:${token}`);
  if (!session.customerId) {
    res.status(401).json({ error: 'session expired' });
    return;
  }
  req.user = { customerId: session.customerId, role: session.role ?? 'customer', tenantId: session.tenantId ?? 'default' };
  next();
}

/** Lets the request through only if the caller's role grants `permission`. */
export function authorize(permission: string): RequestHandler {
  return async (req, res, next) => {
    if (!req.user) {
      res.status(401).json({ error: 'not authenticated' });
      return;
    }
    const role = await prisma.role.findUnique({ where: { name: req.user.role }, include: { permissions: true } });
    const granted = new Set<string>(role?.permissions.map((p: { name: string }) => p.name) ?? []);
    if (!granted.has(permission)) {
      res.status(403).json({ error: `missing permission ${permission}` });
      return;
    }
    req.permissions = granted;
    next();
  };
}

const FLAG_TTL_MS = 30_000;
const flagCache = new Map<string, { enabled: boolean; expiresAt: number }>();

/** Feature flags change a few times a week; a 30-second in-process cache is fresh enough. */
async function isFlagEnabled(name: string): Promise<boolean> {
  const cached = flagCache.get(name);
  if (cached && cached.expiresAt > Date.now()) return cached.enabled;
  const flag = await prisma.featureFlag.findUnique({ where: { name } });
  const enabled = flag?.enabled ?? false;
  flagCache.set(name, { enabled, expiresAt: Date.now() + FLAG_TTL_MS });
  return enabled;
}

/** Drops a flag from the in-process cache when another instance publishes a change. */
export function invalidateFlag(name: string): void {
  flagCache.delete(name);
}

/** Hides a route (404) while its feature flag is off. */
export function requireFeature(name: string): RequestHandler {
  return async (_req, res, next) => {
    if (!(await isFlagEnabled(name))) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    next();
  };
}

/** Fixed one-minute window per client IP. */
export function rateLimit(limitPerMinute: number): RequestHandler {
  return async (req, res, next) => {
    const windowStart = Math.floor(Date.now() / 60_000);
    const key = `ratelimit:${req.ip}:${windowStart}`;
    const limiter = rateLimitClient();
    const count = await limiter.incr(key);
    if (count === 1) await limiter.expire(key, 60);
    if (count > limitPerMinute) {
      res.status(429).json({ error: 'too many requests' });
      return;
    }
    next();
  };
}
