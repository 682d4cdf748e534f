/** @type {import('jest').Config} */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    testTimeout: 120000,
    setupFilesAfterEnv: ["<rootDir>/tests/support/releaseSdk.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
