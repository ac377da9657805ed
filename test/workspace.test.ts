import { expect } from 'chai';

describe('the workspace', () => {
  it('resolves every package by name from the end-to-end tests', async () => {
    const shared = await import('@jitlsp/shared');
    expect(shared.JITLSP_VERSION).to.be.a('string');
  });
});
