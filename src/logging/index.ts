export { createRootLogger, levelFromNestOption, PinoNestLogger, REDACTED_PATHS } from './logger';
export { requestLogger } from './request-logger';
export type { RequestLog } from './request-logger';
