// jest 30 + @swc/jest (ts-jest does not support TypeScript 7); type checking is `tsc --noEmit`.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/firmware', '<rootDir>/cli', '<rootDir>/simulator', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
