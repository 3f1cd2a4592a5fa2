// Two projects: `unit` (no I/O) and `integration` (real PostgreSQL, RabbitMQ and HTTP).
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const common = {
  transform: { '^.+\\.ts$': swc },
  // A package's own entry point besides its index (`@datahub/connectors/dist/edge`) maps to its source too,
  // so a test loads each module once.
  moduleNameMapper: { '^@datahub/([a-z-]+)$': '<rootDir>/$1/src/index.ts', '^@datahub/([a-z-]+)/dist/(.+)$': '<rootDir>/$1/src/$2.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // Integration tests wait on real brokers and retries; unit tests finish long before this.
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/*/src/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/*/src/**/*.int.test.ts'],
      globalSetup: '<rootDir>/deploy/src/test/global-setup.ts',
      globalTeardown: '<rootDir>/deploy/src/test/global-teardown.ts',
    },
  ],
};
