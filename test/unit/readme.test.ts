import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { README, withTables } from '../../scripts/readme-tables';

test("the README's rules, commands, settings and CLI tables match the code (npm run readme)", () => {
  const text = fs.readFileSync(README, 'utf8');
  assert.equal(text, withTables(text));
});

test('every picture the README shows exists', () => {
  const text = fs.readFileSync(README, 'utf8');
  const images = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(m => m[1]!);
  assert.ok(images.length >= 5, 'a picture of each feature');
  for (const img of images) assert.ok(fs.existsSync(img), img);
});
