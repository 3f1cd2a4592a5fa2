import type { ApolloServerOptions } from '@apollo/server';
import type { ControlPlaneEnv } from '../env';
import { formatError } from './errors';

type ErrorOptions = Pick<ApolloServerOptions<never>, 'includeStacktraceInErrorResponses' | 'formatError'>;

/**
 * How errors reach clients. Apollo's own default shows stack traces (absolute paths on the server)
 * whenever NODE_ENV is not `production`, which includes `npm start`; here only HUB_GRAPHQL_DEBUG does.
 */
export function errorReporting(env: Pick<ControlPlaneEnv, 'HUB_GRAPHQL_DEBUG'>, log: (e: unknown) => void): ErrorOptions {
  const debug = env.HUB_GRAPHQL_DEBUG === 'true';
  return {
    includeStacktraceInErrorResponses: debug,
    formatError: (formatted, error) => {
      const out = formatError(formatted, error, log);
      const stacktrace = formatted.extensions?.stacktrace;
      return debug && stacktrace && !out.extensions?.stacktrace ? { ...out, extensions: { ...out.extensions, stacktrace } } : out;
    },
  };
}
