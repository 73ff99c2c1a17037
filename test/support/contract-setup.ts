// Loaded before every e2e spec (jest.config.js): an answer that breaks the API document fails the
// test that provoked it; answers sent in beforeAll/afterAll fail the suite.
import { expectRecordedAnswersHoldContract } from './contract';

afterEach(expectRecordedAnswersHoldContract);
afterAll(expectRecordedAnswersHoldContract);
