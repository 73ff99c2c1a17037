export { createLoggers, levelFromNestOption, PinoNestLogger, REDACTED_PATHS } from './logger';
export type { Loggers } from './logger';
export { prettyLogStream, productionLogStream } from './log-streams';
export { requestLogger } from './request-logger';
export { RequestLines } from './request-lines';
export type { RequestLog } from './request-logger';
