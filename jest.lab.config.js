/** The lab's end-to-end test: real hosts, run by npm run test:lab after lab/lab.sh up. */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/tests/lab"],
    testMatch: ["**/*.lab.ts"],
    testTimeout: 900000,
    transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
