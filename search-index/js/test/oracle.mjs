// The oracle of the parity tests: `tsunagu search --json`, the queries both sites are asked and
// the comparison of a reader's answer with the CLI's. Shared by test/parity.test.mjs (the reader in
// Node) and tests/browser/parity.test.mjs (the reader in Chromium).

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const env = { ...process.env, SOURCE_DATE_EPOCH: '1795219200' };
const run = promisify(execFile);

// The cargo profile of the binary under test: `debug` (default) reuses what `cargo test` built in
// the test command; TSUNAGU_PROFILE=release is faster to run but slower to compile. TSUNAGU_BIN
// names a binary to use instead of cargo.
const profile = process.env.TSUNAGU_PROFILE === 'release' ? 'release' : 'debug';

/** `cargo run --quiet [--release] -- ARGS` from the repository root (or `$TSUNAGU_BIN ARGS`), with `extraEnv`. */
export function cargoRun(args, extraEnv = {}) {
  const flags = profile === 'release' ? ['--quiet', '--release'] : ['--quiet'];
  const [cmd, all] = process.env.TSUNAGU_BIN ? [process.env.TSUNAGU_BIN, args] : ['cargo', ['run', ...flags, '--', ...args]];
  execFileSync(cmd, all, {
    cwd: repo,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
  });
}

let binary;
/**
 * The binary `cargo run` built (faster than `cargo run` for each of the queries), or TSUNAGU_BIN.
 * It does not build: call it after a cargoRun.
 */
export function tsunagu() {
  if (!binary && process.env.TSUNAGU_BIN) binary = process.env.TSUNAGU_BIN;
  if (!binary) {
    const meta = JSON.parse(
      execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: repo, env }).toString(),
    );
    binary = join(meta.target_directory, profile, 'tsunagu');
  }
  return binary;
}

// The flag ids, as the CLI's flag options and the manifest's `facets.flags` name them: the queries
// need them before any site is built (parity.test.mjs checks them against the manifest).
export const FLAG_IDS = ['transport', 'bathing', 'weekend', 'evening', 'overnight', 'walking', 'emergency_power', 'welfare_shelter'];

/** The CLI's arguments for a query object. */
export function cliArgs(q) {
  const a = ['search', '--json'];
  for (const k of ['category', 'region', 'municipality', 'age']) if (q[k] !== undefined) a.push(`--${k}`, String(q[k]));
  for (const c of q.care ?? []) a.push('--care', c);
  for (const f of q.flags ?? []) a.push(`--${f.replaceAll("_", "-")}`); // the CLI option of a flag id
  if (q.near) a.push('--near', q.near.join(','));
  a.push('--limit', String(q.cliLimit ?? q.limit ?? 10), '--', q.text ?? '');
  return a;
}

/** Runs queries through the CLI, two at a time. */
export async function cliResults(root, queries) {
  const out = new Array(queries.length);
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const i = next++;
      const { stdout, stderr } = await run(tsunagu(), ['--root', root, ...cliArgs(queries[i])], {
        env,
        maxBuffer: 1 << 28,
      });
      const ignored = [...stderr.matchAll(/不明な絞り込み条件 (.*) を無視しました/g)].map((m) => m[1]);
      out[i] = { ...JSON.parse(stdout), ignored };
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/**
 * Asserts that a reader's result for `q` equals the CLI's: total, ids in order, scores within
 * 1e-9, distances, ignored filters, dropped words. `exactness` counts bit-identical and merely close scores.
 */
export function assertSame(js, cli, q, exactness = { exact: 0, inexact: 0 }) {
  const from = q.offset ?? 0;
  const want = cli.hits.slice(from, from + (q.limit ?? 10));
  assert.equal(js.total, cli.total, 'total');
  assert.deepEqual(
    js.hits.map((h) => h.id),
    want.map((h) => h.id),
    'ids in order',
  );
  js.hits.forEach((h, i) => {
    const c = want[i];
    assert.ok(Math.abs(h.score - c.score) <= 1e-9, `score of ${h.id}: ${h.score} vs ${c.score}`);
    assert.equal(h.distance_km, c.distance_km, `distance_km of ${h.id}`);
    if (h.score !== c.score) exactness.inexact++;
    else exactness.exact++;
  });
  assert.deepEqual(js.ignored, cli.ignored, 'ignored filters');
  assert.deepEqual(js.dropped, cli.dropped, 'dropped words');
}
export const label = (q) => String(JSON.stringify(q)).slice(0, 120);
export const TSU = [34.7303, 136.5086]; // near 津駅
const far = [35.6812, 139.7671]; // 東京駅: outside the sites, every distance large

/** Queries for both sites: the sample's names, readings, services, addresses and every filter. */
export const COMMON = [
  // names
  { text: 'はなまる療育園' },
  { text: '津はるかぜ在宅クリニック' },
  { text: 'そらまめ療育センター' },
  { text: 'ぽっけキッズ' },
  { text: '小児訪問看護ステーションクローバー' },
  { text: '桑名みかげ特別支援学校' },
  { text: 'ゆずりはこどもクリニック' },
  { text: '重症児デイサービスミモザ' },
  { text: '放課後等デイサービスアトリエ' },
  // kana readings, hiragana, katakana and half-width
  { text: 'つはるかぜざいたくくりにっく' },
  { text: 'はなまるりょういくえん' },
  { text: 'かえできっず' },
  { text: 'くわなみかげ' },
  { text: 'ユイマール' },
  { text: 'ﾊﾅﾏﾙ' },
  { text: 'ｿﾗﾏﾒ ﾘｮｳｲｸ' },
  { text: 'ｸﾛｰﾊﾞｰ' },
  { text: 'ﾎｳﾓﾝｶﾝｺﾞ' },
  // services
  { text: '放課後等デイサービス' },
  { text: '訪問看護' },
  { text: '医療型短期入所' },
  { text: '日中一時支援' },
  { text: '児童発達支援' },
  { text: '訪問リハビリ' },
  // care items by label
  { text: '人工呼吸器' },
  { text: '気管切開' },
  { text: '吸引' },
  { text: '経管栄養（胃ろう）' },
  { text: '痙攣時の処置' },
  // everyday words: the built-in synonyms (src/synonyms.toml)
  { text: '胃ろう' },
  { text: '胃瘻 桑名' },
  { text: 'ショートステイ' },
  { text: 'ｼｮｰﾄｽﾃｲ 津' },
  { text: 'きゅういん' },
  { text: 'たん吸引' },
  { text: '気切 吸引' },
  { text: '放デイ' },
  { text: '訪看', region: 'tsu' },
  { text: 'ストーマ' },
  { text: '呼吸器 たん吸引' },
  { text: 'NPPV', near: TSU },
  { text: 'レスパイト', care: ['ventilator'] },
  // services and care items named together: listings that offer or accept them first
  { text: '訪問看護 吸引' },
  { text: '短期入所 人工呼吸器', age: 4 },
  { text: '児童発達支援 放課後等デイサービス' },
  // words no listing has with the others: the best partial match, the rest dropped
  { text: '吸引 ドラえもん' },
  { text: 'ドラえもん 吸引' },
  { text: 'ショートステイ 伊賀 xyzzy' },
  { text: '人工呼吸器 桑名 入浴 ドラえもん' },
  { text: '訪問看護 鈴鹿 伊賀' },
  { text: '訪問看護 ドラえもん', care: ['suction'] },
  { text: '津 ドラえもん', near: TSU },
  { text: '津 ドラえもん', age: 6 },
  { text: 'ドラえもん xyzzy' },
  { text: 'ドラえもん　吸引　！？' },
  // an age keeps listings without ages, after the others
  { text: '', age: 3, near: TSU },
  { text: '吸引', age: 7 },
  { text: '', age: 12, category: 'short-stay' },
  // addresses, postal codes, phone numbers
  { text: '三重県津市栄町' },
  { text: '鈴鹿市' },
  { text: '四日市市 日永' },
  { text: '514-0818' },
  { text: '〒514' },
  { text: '059-000' },
  { text: '059-000-2286' },
  { text: '０５９－０００' },
  { text: '6486' },
  // one character, words, mixed
  { text: '津' },
  { text: '園' },
  { text: 'あ' },
  { text: '24時間' },
  { text: '訪問看護 津' },
  { text: '看護師が24時間常駐' },
  { text: 'OK' },
  // no hit, symbols only, blank, long
  { text: '存在しない施設名' },
  { text: 'xyzzy' },
  { text: 'ドラえもん' },
  { text: '！？' },
  { text: '🙂👍' },
  { text: '☆★♪ ---' },
  { text: '   ' },
  { text: '\u0085' }, // blank for Rust's trim (White_Space), not for String.prototype.trim
  { text: '\ufeff' }, // the reverse: not blank, and no token
  { text: '-津' },
  { text: '訪問看護 '.repeat(260) },
  { text: 'あ'.repeat(1200) },
  // filters with text
  { text: '放課後', category: 'facility' },
  { text: '訪問看護', category: 'visiting-nurse', region: 'tsu' },
  { text: '訪問看護', region: 'yokkaichi' },
  { text: 'ステーション', municipality: '鈴鹿市' },
  { text: 'ステーション', municipality: '24207' },
  { text: '支援', care: ['suction'] },
  { text: '支援', care: ['suction', 'tube-feeding'] },
  { text: 'デイ', age: 10 },
  { text: '看護', age: 0, category: 'visiting-nurse' },
  ...FLAG_IDS.map((f) => ({ text: '支援', flags: [f] })),
  { text: '療育', flags: ['transport', 'bathing'], region: 'tsu' },
  // blank text with filters
  { text: '', category: 'short-stay' },
  { text: '', region: 'iga' },
  { text: '', municipality: '津市' },
  { text: '', municipality: '24201', category: 'facility' },
  { text: '', care: ['ventilator'] },
  { text: '', care: ['tracheostomy', 'oxygen'], age: 5 },
  { text: '', age: 19 },
  { text: '', age: 121 },
  ...FLAG_IDS.map((f) => ({ text: '', flags: [f] })),
  { text: '', flags: FLAG_IDS },
  // unknown filter values are ignored
  { text: '訪問看護', category: 'zoo' },
  { text: '', region: 'osaka', care: ['suction', 'flying'] },
  { text: '津', municipality: '大阪市' },
  { text: '', municipality: '99999', category: 'school' },
  // near, with and without text and filters
  { text: '', near: TSU },
  { text: '訪問看護', near: TSU },
  { text: '津', near: [34.9651, 136.6245] },
  { text: '', near: far },
  { text: '', near: [34.27, 136.9], category: 'school' },
  { text: '', near: TSU, care: ['suction'], flags: ['weekend'] },
  { text: 'ステーション', near: [34.48, 136.7], region: 'ise-shima' },
  { text: '', near: TSU, municipality: '伊賀市' },
  { text: 'xyzzy', near: TSU },
  { text: '', near: TSU, limit: 40 },
];

/** Extra queries for the synthetic site (names and words that src/synth/ generates). */
export const SYNTH = [
  { text: '小児訪問看護ステーションゆいまーる' },
  { text: 'さくら児童発達支援センター' },
  { text: 'しょうにほうもんかんごすてーしょんこすもす' },
  { text: 'ｻｸﾗ' },
  { text: '医療法人社団ゆいまーる会' },
  { text: '合同会社コスモスケア' },
  { text: '三重県津市大字中村340' },
  { text: '高田本山' },
  { text: '059-000-4784' },
  { text: '514-8448' },
  { text: 'の' },
  { text: '茶話会' },
  { text: '宿泊の受け入れはしていません' },
  { text: 'ひだまり', category: 'visiting-nurse', care: ['suction'] },
  { text: '', category: 'facility', region: 'kuwana', flags: ['transport'] },
  { text: '', near: [34.0, 136.2], care: ['ventilator', 'suction'] },
  { text: 'わかば', near: [35.0, 136.6] },
];

/** Paging: the browser reader's `offset` against the CLI's longer list. */
export const PAGES = [
  { text: '', near: TSU, offset: 25, limit: 15, cliLimit: 60 },
  { text: '訪問看護', near: [34.5, 136.4], offset: 10, limit: 10, cliLimit: 40 },
  { text: '訪問看護', offset: 30, limit: 20, cliLimit: 60 },
  { text: '', category: 'school', offset: 5, limit: 7, cliLimit: 20 },
  { text: '', near: [34.95, 136.6], offset: 0, limit: 200, cliLimit: 200 },
  { text: '', near: [33.9, 136.1], region: 'higashi-kishu', offset: 3, limit: 3, cliLimit: 10 },
];

/** Random points over the synthetic site with random limits: nearest-first loading must not skip. */
export function randomNear() {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = [];
  for (let i = 0; i < 8; i++) {
    const near = [33.7 + rnd() * 1.5, 135.9 + rnd() * 1.0].map((x) => Math.round(x * 1e4) / 1e4);
    const limit = 1 + Math.floor(rnd() * 300);
    const q = { text: '', near, limit, cliLimit: limit };
    if (i % 2) q.category = ['facility', 'short-stay', 'visiting-nurse', 'school'][i % 4];
    if (i % 3 === 0) q.text = '訪問';
    out.push(q);
  }
  return out;
}

/** Copies the sample site (content/ and themes/) into `dir`. */
export function copySample(dir) {
  cpSync(join(repo, 'content'), join(dir, 'content'), { recursive: true });
  cpSync(join(repo, 'themes'), join(dir, 'themes'), { recursive: true });
  return dir;
}

/** Builds the site in `dir` into `dir`/public (and the CLI's index in `dir`/.tsunagu). */
export function buildSite(dir) {
  cargoRun(['--root', dir, 'build', '--out', join(dir, 'public')]);
  return dir;
}

/**
 * Builds the site in `dir` again into `dir`/public-rest, where every term of more than 256
 * postings keeps the others' levels in rest files: a site of 10 000 entries has almost none.
 */
export function buildWithRestFiles(dir) {
  cargoRun(['--root', dir, 'build', '--out', join(dir, 'public-rest')], { TSUNAGU_SEARCH_INLINE: '256' });
  return dir;
}

/** Builds a copy of the sample site in `dir`. */
export const buildSample = (dir) => buildSite(copySample(dir));

/** Writes a synthetic site of `entries` listings in `dir` and builds it. */
export function buildSynth(dir, entries) {
  cargoRun(['synth', '--entries', String(entries), dir]);
  return buildSite(dir);
}
