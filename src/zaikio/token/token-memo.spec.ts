import { AccessToken } from './access-token';
import { anAccessToken } from '../testing';
import { memoized, TokenMemoSlot, withMemo } from './token-memo';

const aToken = (id = 'org-1'): AccessToken =>
  anAccessToken({ bearer: { type: 'Organization', id } });

describe('token memo', () => {
  const KEY = new TokenMemoSlot<string>('key');
  const LENGTH = new TokenMemoSlot<number>('length');

  it('derives once per token the verifier built, even once the token is frozen', () => {
    const token = Object.freeze(withMemo(aToken()));
    const derive = jest.fn((t: AccessToken) => `key:${t.bearer.id}`);
    expect(memoized(token, KEY, derive)).toBe('key:org-1');
    expect(memoized(token, KEY, derive)).toBe('key:org-1');
    expect(derive).toHaveBeenCalledTimes(1);
  });

  it('keeps each slot and each token apart', () => {
    const first = Object.freeze(withMemo(aToken('org-1')));
    const second = Object.freeze(withMemo(aToken('org-22')));
    expect(memoized(first, KEY, (t) => t.bearer.id)).toBe('org-1');
    expect(memoized(second, KEY, (t) => t.bearer.id)).toBe('org-22');
    expect(memoized(first, LENGTH, (t) => t.bearer.id.length)).toBe(5);
    expect(memoized(first, KEY, () => 'other')).toBe('org-1');
  });

  it('derives every time for a token built by hand (no memo)', () => {
    const token = Object.freeze(aToken());
    const derive = jest.fn(() => 'value');
    memoized(token, KEY, derive);
    memoized(token, KEY, derive);
    expect(derive).toHaveBeenCalledTimes(2);
  });

  it('is invisible to handlers: keys, JSON and equality are those of the plain token', () => {
    const token = Object.freeze(withMemo(aToken()));
    memoized(token, KEY, () => 'cached');
    expect(Object.keys(token)).toEqual(Object.keys(aToken()));
    expect(JSON.stringify(token)).toBe(JSON.stringify(aToken()));
    expect(token).toEqual(aToken());
    expect(Object.isFrozen(token)).toBe(true);
  });
});
