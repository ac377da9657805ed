import { expect } from 'chai';
import { sanitizeErrorMessage } from '../../src/lsps0/index.js';

describe('sanitizeErrorMessage (bLIP-50: clients MUST filter error messages)', () => {
  it('replaces NUL, newlines, control characters and "<"', () => {
    expect(sanitizeErrorMessage('a\u0000b\nc\rd\u001be<f>')).to.equal('a?b?c?d?e?f?');
  });

  it('replaces Unicode bidi overrides', () => {
    expect(sanitizeErrorMessage('fee \u202e0001')).to.equal('fee ?0001');
  });

  it('keeps ordinary text and cuts long messages', () => {
    expect(sanitizeErrorMessage('payment size too small')).to.equal('payment size too small');
    expect(sanitizeErrorMessage('x'.repeat(500), 10)).to.equal('xxxxxxxxxx…');
  });
});
