import { expect } from 'chai';
import { JITLSP_VERSION } from '../src/index.js';

describe('the shared package', () => {
  it('loads through the workspace and reports its version', () => {
    expect(JITLSP_VERSION).to.equal('0.1.0');
  });
});
