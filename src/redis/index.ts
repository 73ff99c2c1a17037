export { REDIS_CONNECTION, RedisModule } from './redis.module';
export { RedisConnection } from './redis-connection';
export type { RedisConnectionOptions, RedisStatus } from './redis-connection';
