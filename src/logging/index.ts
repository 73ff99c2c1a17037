export { createLoggers, levelFromNestOption, PinoNestLogger, REDACTED_PATHS } from './logger';
export type { Loggers } from './logger';
export { prettyLogStream, productionLogStream } from './log-streams';
export { requestLogger } from './request-logger';
export type { RequestLog } from './request-logger';
