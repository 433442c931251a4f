import { describe, expect, it } from 'vitest';
import { parseFormBody, RequestParams } from './form-body.js';

describe('request parameters', () => {
  it('treats empty strings as absent and lets path parameters win', () => {
    const params = new RequestParams(
      { variety: 'regular' },
      new URLSearchParams('variety=amo&i=NSE%3AINFY&i=NSE%3ASBIN&i='),
      parseFormBody('price=&quantity=65&variety=co&tag=a%20b'),
    );
    expect(params.get('price')).toBeUndefined();
    expect(params.has('price')).toBe(false);
    expect(params.get('quantity')).toBe('65');
    expect(params.get('variety')).toBe('regular');
    expect(params.get('tag')).toBe('a b');
    expect(params.getAll('i')).toEqual(['NSE:INFY', 'NSE:SBIN']);
  });

  it('never throws on malformed encodings', () => {
    const params = new RequestParams({}, new URLSearchParams('%zz=1'), parseFormBody('a=%E0%A4%A&&=b&c'));
    expect(params.get('a')).toBeTypeOf('string');
    expect(params.get('c')).toBeUndefined();
  });
});
