// Browser checks of lieu against the running release binary: every page type is loaded in
// Debian's Chromium, checked with axe-core (0 violations) and the Nu HTML checker (0 errors),
// and photographed at 320 px and 1280 px. Pages whose content can overflow a phone's screen
// (code blocks) are also checked by axe at 320 px. The editing path is also walked with JavaScript off,
// and the search both with its suggestions (JavaScript on, under the site's CSP) and without.
//
// LIEU_BIN: the binary to test (default: target/release/lieu under CARGO_TARGET_DIR or the repo).
// CHROMIUM: the browser (default /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const bin = process.env.LIEU_BIN ?? path.join(targetDir, 'release/lieu');
const out = path.join(here, 'out');
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// The jar ships inside the npm package; its postinstall (a Java downloader) is never run.
const vnuJar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const ADMIN = { email: 'admine@example.org', password: 'mot de passe du test' };
const PAGE_WEIGHT_BUDGET = 30 * 1024;

let server;
let workDir;
let browser;
const checkedHtml = [];

function runLieu(args, input) {
  const res = spawnSync(bin, args, { cwd: workDir, env: lieuEnv(), input, encoding: 'utf8' });
  assert.ifError(res.error && new Error(`cannot run ${bin} (${res.error.code}): build it with \`cargo build --release -p lieu\` or set LIEU_BIN`));
  assert.equal(res.status, 0, `lieu ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

function lieuEnv() {
  return {
    ...process.env,
    LIEU_DATABASE_URL: `sqlite://${path.join(workDir, 'lieu.sqlite3')}`,
    LIEU_CONTENT_DIR: path.join(root, 'wiki-content'),
    LIEU_BIND: `127.0.0.1:${port}`,
    LIEU_BASE_URL: base,
    LIEU_LOG: 'warn',
  };
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${base}/pages`);
      if (res.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`lieu did not answer on ${base}`);
}

before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'html'), { recursive: true });
  mkdirSync(path.join(out, 'screenshots'), { recursive: true });
  workDir = mkdtempSync(path.join(tmpdir(), 'lieu-browser-'));
  runLieu(['user', 'add', '--email', ADMIN.email, '--name', 'Admine Essai', '--role', 'admin'], `${ADMIN.password}\n`);
  server = spawn(bin, ['serve'], { cwd: workDir, env: lieuEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // The interface follows Accept-Language (issue 13): every context is a French reader's
  // browser unless a test says otherwise, as the checks below read French words.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ locale: 'fr-FR', ...options });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function login(context) {
  const page = await context.newPage();
  await page.goto(`${base}/connexion`);
  await page.fill('#champ-email', ADMIN.email);
  await page.fill('#champ-password', ADMIN.password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit] >> text=Se connecter')]);
  return page;
}

/// Runs axe (at `axeWidth` px wide when given, else at the default 1280 px), keeps the raw
/// HTML for the Nu checker, takes the two screenshots.
async function check(page, name, html, axeWidth) {
  writeFileSync(path.join(out, 'html', `${name}.html`), html);
  checkedHtml.push(name);
  if (axeWidth) await page.setViewportSize({ width: axeWidth, height: 900 });
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(out, 'screenshots', `${name}-${width}.png`), fullPage: true });
  }
  assert.deepEqual(violations, [], `axe found violations on ${name}`);
}

async function visit(context, name, url, expectedStatus = 200, axeWidth = undefined) {
  const page = await context.newPage();
  const response = await page.goto(`${base}${url}`);
  assert.equal(response.status(), expectedStatus, `${url} answered ${response.status()}`);
  await check(page, name, await response.text(), axeWidth);
  await page.close();
}

/// Submits a form by clicking `button` and checks the page the POST answered with.
async function submitAndCheck(page, name, button, expectedStatus) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(button),
  ]);
  await page.waitForLoadState();
  assert.equal(response.status(), expectedStatus, `${name} answered ${response.status()}`);
  await check(page, name, await response.text());
}

/// The messages of `template` the server has written as .eml files (its default transport,
/// under its data folder), oldest first.
function mailFiles(template) {
  const dir = path.join(workDir, 'data', 'mail');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(`-${template}.eml`)).sort() : [];
}

/// Waits for the `count`th message of `template`, and gives the path of the link in it.
async function mailLink(template, count, pattern) {
  let files = mailFiles(template);
  for (let i = 0; i < 50 && files.length < count; i++) {
    await new Promise((r) => setTimeout(r, 100));
    files = mailFiles(template);
  }
  assert.equal(files.length, count, `${count} message(s) ${template}: ${files}`);
  const text = decodeMail(readFileSync(path.join(workDir, 'data', 'mail', files.at(-1)), 'utf8'));
  const found = text.match(pattern);
  assert.ok(found, `a link in the message ${files.at(-1)}:\n${text}`);
  return found[0];
}

/// The readable text of a MIME message: each part decoded (quoted-printable or base64).
function decodeMail(raw) {
  const parts = raw.split(/\r?\n--[^\r\n]*\r?\n/);
  return parts.map((part) => {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return part;
    const head = part.slice(0, split);
    const body = part.slice(split).trim();
    if (/^Content-Transfer-Encoding:\s*base64/im.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/^Content-Transfer-Encoding:\s*quoted-printable/im.test(head)) {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }).join('\n');
}

const publicPages = [
  ['accueil', '/'],
  ['page-avec-tableau', '/wiki/qu-est-ce-que-france-services'],
  ['page-aide-markdown', '/wiki/aide-a-l-edition'],
  ['index-des-pages', '/pages'],
  ['modifications-recentes', '/modifications-recentes'],
  ['connexion', '/connexion'],
  ['liens-entrants', '/wiki/accueil/liens'],
  ['page-inexistante', '/wiki/page-qui-n-existe-pas', 404],
  ['erreur-adresse', '/wiki/accueil/revision/abc', 404],
  ['annuaire', '/annuaire'],
  ['liste-services-filtree', '/annuaire/services?theme=sante&commune=79902'],
  ['liste-emplois', '/annuaire/emplois?contrat=cdi'],
  ['liste-logements', '/annuaire/logements?loyer_max=500'],
  ['liste-evenements', '/annuaire/evenements?periode=mois'],
  ['liste-associations', '/annuaire/associations?categorie=sport'],
  ['fiche-service', '/annuaire/services/france-services-du-val-de-sorbiere'],
  ['fiche-association', '/annuaire/associations/sorbiere-partage'],
  ['fiche-emploi', '/annuaire/emplois/vendangeur-ou-vendangeuse'],
  ['fiche-logement', '/annuaire/logements/t2-lumineux-au-centre-bourg'],
  ['fiche-evenement', '/annuaire/evenements/marche-du-samedi-a-saint-aubin'],
  ['agenda', '/agenda'],
  ['page-avec-liste-integree', '/wiki/emploi'],
  ['recherche-vide', '/recherche'],
  ['recherche-resultats', '/recherche?q=emploi'],
  ['recherche-filtree', '/recherche?q=emploi&type=services&commune=79901'],
  ['recherche-filtree-sans-resultat', '/recherche?q=emploi&type=logements'],
  ['recherche-page-2', '/recherche?q=sorbiere&page=2'],
  ['recherche-sans-resultat', '/recherche?q=cqf'],
  ['recherche-resultats-320', '/recherche?q=emploi', 200, 320],
  // Code blocks scroll sideways on a phone: each must be reachable by keyboard.
  ['page-aide-markdown-320', '/wiki/aide-a-l-edition', 200, 320],
  ['version-aide-markdown-320', '/wiki/aide-a-l-edition/revision/1', 200, 320],
];

for (const [name, url, status, axeWidth] of publicPages) {
  test(`${name}: no axe violation${axeWidth ? ` at ${axeWidth} px` : ''}, screenshots taken`, async () => {
    const context = await browser.newContext({ bypassCSP: true });
    await visit(context, name, url, status ?? 200, axeWidth);
    await context.close();
  });
}

test('editor pages: edit, preview, errors, history, revision, diff, rename, conflict', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await login(context);

  await visit(context, 'formulaire-modification', '/wiki/le-val-de-sorbiere/modifier');
  await visit(context, 'annuaire-gestion', '/annuaire');
  await visit(context, 'choix-type-de-fiche', '/gestion/fiches/nouvelle');
  for (const kind of ['service', 'association', 'job', 'housing', 'event']) {
    await visit(context, `formulaire-fiche-${kind}`, `/gestion/fiches/nouvelle?type=${kind}`);
  }
  await visit(context, 'fiches-a-verifier', '/gestion/a-verifier');
  await page.goto(`${base}/gestion/fiches/nouvelle?type=job`);
  await page.fill('#champ-title', 'Offre sans employeur');
  await page.fill('#champ-phone', '123');
  await submitAndCheck(page, 'formulaire-fiche-avec-erreurs', 'button[type=submit] >> text=Enregistrer', 422);
  assert.equal(await page.inputValue('#champ-title'), 'Offre sans employeur');
  await page.goto(`${base}/annuaire/services/france-services-du-val-de-sorbiere`);
  const historyLink = await page.getAttribute('a[href$="/historique"][href^="/gestion/"]', 'href');
  await visit(context, 'historique-fiche', historyLink);
  await visit(context, 'formulaire-nouvelle-page', '/nouvelle-page');
  await visit(context, 'formulaire-renommer', '/wiki/le-val-de-sorbiere/renommer');

  await page.goto(`${base}/wiki/le-val-de-sorbiere/modifier`);
  await page.fill('#champ-body', '# Le Val\n\nUn texte **modifié** pour l’essai.\n');
  await page.fill('#champ-summary', 'essai du navigateur');
  await submitAndCheck(page, 'apercu', 'button[value=preview]', 200);
  assert.match(await page.content(), /Un texte <strong>modifié<\/strong>/);
  await Promise.all([page.waitForURL(`${base}/wiki/le-val-de-sorbiere`), page.click('button[value=save]')]);

  await visit(context, 'historique', '/wiki/le-val-de-sorbiere/historique');
  await visit(context, 'ancienne-version', '/wiki/le-val-de-sorbiere/revision/1');
  await visit(context, 'differences', '/wiki/le-val-de-sorbiere/diff?de=1&a=2');

  await page.goto(`${base}/nouvelle-page`);
  await page.fill('#champ-title', '');
  await page.fill('#champ-body', 'Du texte sans titre');
  await page.evaluate(() => document.querySelector('#champ-title').removeAttribute('required'));
  await submitAndCheck(page, 'formulaire-avec-erreurs', 'button[value=save]', 422);

  // Two tabs edit the same page; the second save is a conflict that keeps its text.
  const other = await context.newPage();
  await other.goto(`${base}/wiki/accueil/modifier`);
  await page.goto(`${base}/wiki/accueil/modifier`);
  await page.fill('#champ-body', 'Première modification.');
  await Promise.all([page.waitForURL(`${base}/wiki/accueil`), page.click('button[value=save]')]);
  await other.fill('#champ-body', 'Seconde modification, faite en même temps.');
  await submitAndCheck(other, 'conflit-de-modification', 'button[value=save]', 409);
  assert.equal(await other.inputValue('#champ-body'), 'Seconde modification, faite en même temps.');
  await context.close();
});

test('the skip link is the first stop of the keyboard and leads to the content', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/wiki/qu-est-ce-que-france-services`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#lieu_contenu');
  await context.close();
});

test('with JavaScript off at 320 px, the language switch leads to English and back, and the choice is kept', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/annuaire`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const toEnglish = page.locator('a.langue');
  assert.ok(await toEnglish.isVisible(), 'the switch is visible at 320 px');
  assert.equal(await toEnglish.getAttribute('lang'), 'en');
  // Reached with the keyboard, followed with Enter.
  await toEnglish.focus();
  await Promise.all([page.waitForURL(`${base}/annuaire`), page.keyboard.press('Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.locator('h1').first().textContent()).trim(), 'Local directory');
  // Kept from page to page by its cookie, over the browser's French Accept-Language.
  await page.goto(`${base}/wiki/qu-est-ce-que-france-services`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('.contenu-wiki', 'lang'), 'fr');
  // axe runs as a script in the page (it never finishes with JavaScript off): the same
  // English page is checked in a context that has scripts and the switch's cookie.
  const scripted = await browser.newContext({ viewport: { width: 320, height: 800 } });
  await scripted.addCookies([{ name: 'lang', value: 'en', url: base }]);
  const english = await scripted.newPage();
  const response = await english.goto(`${base}/wiki/qu-est-ce-que-france-services`);
  assert.equal(await english.getAttribute('html', 'lang'), 'en');
  await check(english, 'page-wiki-en', await response.text(), 320);
  await scripted.close();
  await Promise.all([page.waitForURL(`${base}/wiki/qu-est-ce-que-france-services`), page.click('a.langue')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await context.close();
});

test('with JavaScript off, an editor logs in, edits, compares and reverts', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await login(context);
  await page.goto(`${base}/wiki/comment-chercher-sur-le-site/modifier`);
  await page.fill('#champ-body', 'Texte remplacé sans JavaScript.');
  await Promise.all([page.waitForURL(`${base}/wiki/comment-chercher-sur-le-site`), page.click('button[value=save]')]);
  assert.match(await page.content(), /Texte remplacé sans JavaScript/);
  await page.goto(`${base}/wiki/comment-chercher-sur-le-site/historique`);
  await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/diff") && url.searchParams.get("de") === "1" && url.searchParams.get("a") === "2"), page.click('text=Comparer les versions choisies')]);
  assert.match(await page.content(), /diff-ajout/);
  await page.goto(`${base}/wiki/comment-chercher-sur-le-site/revision/1`);
  await Promise.all([page.waitForURL(/historique$/), page.click('text=Restaurer cette version')]);
  await page.goto(`${base}/wiki/comment-chercher-sur-le-site`);
  assert.match(await page.content(), /Pas besoin d’écrire parfaitement/);
  await context.close();
});

test('with JavaScript off, an agent adds an event and a resident finds it and its calendar file', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await login(context);
  await page.goto(`${base}/gestion/fiches/nouvelle?type=event`);
  await page.fill('#champ-title', 'Bourse aux jouets');
  await page.fill('#champ-summary', 'Jouets d’occasion à petits prix.');
  await page.selectOption('#champ-commune', { label: 'Champvert' });
  const day = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  await page.fill('#champ-starts_at', `${day}T10:00`);
  await Promise.all([page.waitForURL(/\/annuaire\/evenements\/bourse-aux-jouets$/), page.click('button[type=submit] >> text=Enregistrer')]);
  const resident = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  const phone = await resident.newPage();
  // Lists come from the search index, which takes a save about a second later: the resident
  // reloads the list, as one would, until it shows the event.
  await phone.goto(`${base}/annuaire/evenements?commune=79909`);
  for (let i = 0; i < 20 && (await phone.locator('a', { hasText: 'Bourse aux jouets' }).count()) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await phone.reload();
  }
  await Promise.all([phone.waitForURL(/bourse-aux-jouets$/), phone.click('a >> text=Bourse aux jouets')]);
  const ics = await phone.request.get(`${base}/annuaire/evenements/bourse-aux-jouets.ics`);
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /BEGIN:VEVENT[\s\S]*SUMMARY:Bourse aux jouets/);
  await resident.close();
  await context.close();
});

test('with JavaScript on, the search box suggests as you type: an ARIA combobox used with the keyboard', async () => {
  // The site's own Content-Security-Policy applies here (no bypass): the script must run under it.
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${base}/wiki/qu-est-ce-que-france-services`);
  const box = page.locator('#lieu_recherche');
  assert.equal(await box.getAttribute('role'), 'combobox');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.getAttribute('aria-controls'), 'lieu_suggestions');
  assert.equal(await box.getAttribute('aria-autocomplete'), 'list');

  await box.focus();
  const answered = page.waitForResponse((r) => r.url().includes('/recherche/suggestions?q=emplo') && r.status() === 200);
  await page.keyboard.type('emplo', { delay: 40 });
  const suggestions = await (await answered).json();
  assert.ok(suggestions.length >= 1 && suggestions.length <= 8, JSON.stringify(suggestions));
  const options = page.locator('#lieu_suggestions [role="option"]');
  await options.first().waitFor({ state: 'visible' });
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await options.count(), suggestions.length);
  assert.equal(await page.getAttribute('#lieu_suggestions', 'role'), 'listbox');
  const status = page.locator('form[role="search"] [role="status"]');
  await page.waitForFunction(() => /suggestion/.test(document.querySelector('form[role="search"] [role="status"]').textContent));
  assert.match(await status.textContent(), new RegExp(`^${suggestions.length} suggestion`));

  // Arrows move the active option (the focus stays in the box); Escape closes the list.
  await page.keyboard.press('ArrowDown');
  const first = await options.first().getAttribute('id');
  assert.equal(await box.getAttribute('aria-activedescendant'), first);
  assert.equal(await options.first().getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lieu_recherche');
  if (suggestions.length > 1) {
    await page.keyboard.press('ArrowDown');
    assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
    assert.equal(await options.first().getAttribute('aria-selected'), 'false');
    await page.keyboard.press('ArrowUp');
  }
  await page.keyboard.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);
  assert.ok(await page.locator('#lieu_suggestions').isHidden());

  // Down opens the list again on its first option, and Enter opens that suggestion.
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), first);
  await Promise.all([page.waitForURL(`${base}${suggestions[0].url}`), page.keyboard.press('Enter')]);
  assert.deepEqual(problems, [], 'no script error and no CSP violation');

  // Enter with no option chosen submits the search as typed.
  await page.fill('#lieu_recherche', 'emploi saisonnier');
  await Promise.all([page.waitForURL(/\/recherche\?q=emploi\+saisonnier$/), page.press('#lieu_recherche', 'Enter')]);
  assert.equal(await page.inputValue('#lieu_recherche'), 'emploi saisonnier');
  await context.close();
});

test('the search box with its suggestions open has no axe violation', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const response = await page.goto(`${base}/recherche?q=emploi`);
  await page.focus('#lieu_recherche');
  await page.fill('#lieu_recherche', '');
  await page.keyboard.type('servi', { delay: 40 });
  await page.locator('#lieu_suggestions [role="option"]').first().waitFor({ state: 'visible' });
  await page.keyboard.press('ArrowDown');
  await check(page, 'recherche-suggestions-ouvertes', await response.text());
  await context.close();
});

test('with JavaScript off, a resident searches, filters, removes the filter and opens a result', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/annuaire`);
  assert.equal(await page.getAttribute('#lieu_recherche', 'role'), null, 'a plain search box');
  await page.fill('#lieu_recherche', 'emploi');
  await Promise.all([page.waitForURL(`${base}/recherche?q=emploi`), page.click('form[role="search"] button[type=submit]')]);
  assert.match(await page.textContent('h1'), /^\d+ résultats? pour « emploi »$/);
  assert.equal(await page.inputValue('#lieu_recherche'), 'emploi');
  await Promise.all([page.waitForURL(/type=services/), page.click('.facettes a[href*="type=services"]')]);
  assert.match(await page.content(), /Type : <strong>Services<\/strong>/);
  const found = await page.locator('ol.resultats h2 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(found.length > 0);
  for (const href of found) assert.match(href, /^\/annuaire\/services\//);
  await Promise.all([page.waitForURL(`${base}/recherche?q=emploi`), page.click('text=Retirer ce filtre')]);
  const target = await page.getAttribute('ol.resultats h2 a >> nth=0', 'href');
  await Promise.all([page.waitForURL(`${base}${target}`), page.click('ol.resultats h2 a >> nth=0')]);
  // Nothing found: a spelling suggestion to follow.
  await page.goto(`${base}/recherche?q=cqf`);
  await Promise.all([page.waitForURL(/\/recherche\?q=caf$/), page.click('.suggestion a')]);
  assert.match(await page.textContent('h1'), /résultats? pour « caf »/);
  await context.close();
});

test('a typical page weighs less than 30 KB with its stylesheet', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', async (request) => {
    const s = await request.sizes();
    sizes.push({ url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  await page.goto(`${base}/wiki/qu-est-ce-que-france-services`, { waitUntil: 'networkidle' });
  await new Promise((r) => setTimeout(r, 200));
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  writeFileSync(path.join(out, 'page-weight.json'), JSON.stringify({ total, sizes }, null, 2));
  console.log(`page weight of a typical page: ${total} bytes over ${sizes.length} requests`);
  assert.ok(total < PAGE_WEIGHT_BUDGET, `page weighs ${total} bytes`);
  await context.close();
});

test('every page checked is valid HTML for the Nu checker', () => {
  assert.ok(checkedHtml.length >= 40, `only ${checkedHtml.length} pages checked`);
  const files = checkedHtml.map((name) => path.join(out, 'html', `${name}.html`));
  const res = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(res.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  assert.ifError(res.error);
  let parsed;
  try {
    parsed = JSON.parse(res.stderr);
  } catch {
    assert.fail(`the Nu HTML checker gave no report (exit status ${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
  // `non-document-error`: a file the checker could not read or parse at all.
  const messages = parsed.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const report = messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`);
  assert.deepEqual(report, [], 'the Nu HTML checker found errors');
  // It exits with 1 on any error, including those the filter above would not recognize.
  assert.equal(res.status, 0, `the Nu HTML checker exited with status ${res.status}:\n${res.stderr}`);
});

// The agents' search pages. Self-contained: its own pages go through axe here and through the
// Nu checker at the end of this test, whatever runs before or after it.
test('agents: searches that found nothing and synonyms pass axe and the Nu checker', async () => {
  const names = [];
  const record = async (context, name, url, status = 200) => {
    await visit(context, name, url, status);
    names.push(name);
  };
  // Searches that found nothing, written as the server writes them (the text, the day, a count).
  const today = new Date().toISOString().slice(0, 10);
  const sql = `.timeout 10000
INSERT INTO search_misses (query, day, hits) VALUES ('alloc', '${today}', 5), ('velo electrique', '${today}', 2), ('<b>balise</b>', '${today}', 1);`;
  const res = spawnSync('sqlite3', [path.join(workDir, 'lieu.sqlite3')], { input: sql, encoding: 'utf8' });
  assert.notEqual(res.error?.code, 'ENOENT', 'the sqlite3 command is needed to record searches');
  assert.equal(res.status, 0, res.stderr);

  const context = await browser.newContext({ bypassCSP: true });
  const page = await login(context);
  await record(context, 'recherches-sans-resultat', '/gestion/recherches');

  // An empty word comes back with its error (the browser's own check is lifted to reach ours).
  await page.goto(`${base}/gestion/recherches`);
  await page.evaluate(() => document.querySelector('#champ-word-0').removeAttribute('required'));
  await submitAndCheck(page, 'recherches-erreur', 'button[type=submit] >> text=Ajouter comme synonyme >> nth=0', 422);
  names.push('recherches-erreur');
  await page.fill('#champ-word-0', 'CAF');
  await Promise.all([page.waitForURL(/groupe=/), page.click('button[type=submit] >> text=Ajouter comme synonyme >> nth=0')]);
  assert.match(await page.content(), /Synonyme enregistré/);
  await record(context, 'recherches-synonyme-ajoute', new URL(page.url()).pathname + new URL(page.url()).search);

  await record(context, 'synonymes', '/gestion/synonymes');
  await page.goto(`${base}/gestion/synonymes`);
  await page.fill('#champ-terms', 'un seul mot');
  await submitAndCheck(page, 'synonymes-erreur', 'button[type=submit] >> text=Ajouter le groupe', 422);
  names.push('synonymes-erreur');
  assert.equal(await page.inputValue('#champ-terms'), 'un seul mot');
  const deleteLink = await page.getAttribute('a[href$="/supprimer"]', 'href');
  await record(context, 'synonyme-suppression', deleteLink);
  await context.close();

  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

// The agents' mail outbox. Self-contained, like the search pages above: axe at 320 px, the Nu
// checker, and the server's own sender writing the test message as an .eml file (the default
// transport) under its data folder.
test('admins: the mail outbox and a test message pass axe and the Nu checker, and the message is written', async () => {
  const names = [];
  const context = await browser.newContext({ bypassCSP: true });
  const page = await login(context);
  await visit(context, 'courriels', '/gestion/courriels', 200, 320);
  names.push('courriels');

  // A mistyped address comes back with its error (the browser's own check is lifted).
  await page.goto(`${base}/gestion/courriels`);
  await page.evaluate(() => {
    const to = document.querySelector('#champ-to');
    to.removeAttribute('required');
    to.setAttribute('type', 'text');
  });
  await page.fill('#champ-to', 'pas une adresse');
  await submitAndCheck(page, 'courriels-erreur', 'button[type=submit] >> text=Envoyer l’essai', 422);
  names.push('courriels-erreur');
  assert.equal(await page.inputValue('#champ-to'), 'pas une adresse');

  await page.fill('#champ-to', 'essai@example.org');
  await Promise.all([page.waitForURL(/fait=essai/), page.click('button[type=submit] >> text=Envoyer l’essai')]);
  assert.match(await page.content(), /Le courriel d’essai est prêt à partir/);
  // Woken by the POST, the sender writes it within a moment.
  const mailDir = path.join(workDir, 'data', 'mail');
  let files = [];
  for (let i = 0; i < 50 && files.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    files = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('-test.eml')) : [];
  }
  assert.equal(files.length, 1, 'one .eml file for the test message');
  const eml = readFileSync(path.join(mailDir, files[0]), 'utf8');
  assert.match(eml, /^To: essai@example\.org\r$/m);
  await record(context, 'courriels-envoyes', '/gestion/courriels?etat=envoyes');
  await context.close();

  async function record(ctx, name, url) {
    await visit(ctx, name, url, 200, 320);
    names.push(name);
  }
  const html = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...html], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

// The referencing form (no account) and the agents' queue. Self-contained, like the tests
// above: a resident on an old phone (320 px, JavaScript off) proposes an association, then an
// agent reviews and publishes it; every page goes through axe at 320 px and the Nu checker.
// With JavaScript off axe cannot run (timers never fire), so each page the resident got is
// checked as served, in a second browser tab that runs no script of the site.
test('residents and agents: the referencing form and the review queue pass axe and the Nu checker, with JavaScript off', async () => {
  const names = [];
  // The server refuses a form sent less than 5 seconds after it was shown.
  const readingTime = () => new Promise((r) => setTimeout(r, 6000));
  const resident = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  await record(resident, 'referencer-choix', '/referencer');

  const phone = await resident.newPage();
  const shown = await phone.goto(`${base}/referencer?type=association`);
  assert.equal(shown.status(), 200);
  await inspect('referencer-formulaire', phone.url(), await shown.text());

  // The keyboard reaches the consent box and the button, and never the hidden trap field.
  await phone.focus('#champ-sender_phone');
  const stops = [];
  for (let i = 0; i < 10 && stops.at(-1) !== 'bouton'; i++) {
    await phone.keyboard.press('Tab');
    stops.push(await phone.evaluate(() => {
      const el = document.activeElement;
      if (el.matches('button[type=submit]')) return 'bouton';
      return el.id || el.getAttribute('href') || el.tagName;
    }));
  }
  assert.ok(stops.includes('champ-consent'), `the consent box is reached by Tab: ${stops.join(' → ')}`);
  assert.equal(stops.at(-1), 'bouton', `the button is reached by Tab: ${stops.join(' → ')}`);
  assert.ok(stops.indexOf('champ-consent') < stops.indexOf('bouton'));
  assert.ok(!stops.includes('champ-site_internet_2'), `the trap field is never focused: ${stops.join(' → ')}`);
  const trap = await phone.locator('#champ-site_internet_2').boundingBox();
  assert.ok(trap === null || trap.x + trap.width <= 0, `the trap field is off-screen: ${JSON.stringify(trap)}`);

  // Sent with its title left empty and no consent: it comes back with its errors, kept.
  await phone.selectOption('#champ-commune', '79901');
  await phone.fill('#champ-summary', 'Randonnées à pied le dimanche matin.');
  await phone.fill('#champ-sender_name', 'Camille Essai');
  await phone.fill('#champ-sender_email', 'camille@example.org');
  await readingTime();
  await send(phone, 'referencer-erreurs', 422);
  const errorLinks = await phone.locator('[role=alert] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(errorLinks.includes('#champ-title') && errorLinks.includes('#champ-consent'), `the error summary: ${errorLinks}`);
  assert.equal(await phone.inputValue('#champ-summary'), 'Randonnées à pied le dimanche matin.');
  assert.equal(await phone.inputValue('#champ-commune'), '79901');
  assert.equal(await phone.inputValue('#champ-sender_email'), 'camille@example.org');
  assert.equal(await phone.isChecked('#champ-consent'), false);

  await phone.fill('#champ-title', 'Les Marcheurs du dimanche');
  await phone.check('#champ-consent');
  await readingTime();
  const token = await send(phone, 'referencer-envoyee', 200);
  assert.match(await phone.textContent('[role=status]'), /Merci, votre demande est enregistrée/);

  // Two more, opened together: one to withdraw, one the agent edits before approving.
  const second = await fillAssociation('Club de lecture des Essais');
  const third = await fillAssociation('Atelier vélo solidaire');
  await readingTime();
  const secondToken = await send(second, null, 200);
  await send(third, null, 200);

  await record(resident, 'suivi-retirer', `/suivi/${token}/retirer`);
  await second.goto(`${base}/suivi/${secondToken}/retirer`);
  await Promise.all([second.waitForURL(/\?fait=retiree$/), second.click('button[type=submit] >> text=Oui, retirer ma demande')]);
  await record(resident, 'suivi-retiree', `/suivi/${secondToken}?fait=retiree`);

  // An agent: the queue, the submission, approved and published.
  const agent = await browser.newContext({ bypassCSP: true });
  const desk = await login(agent);
  assert.equal(await desk.textContent('.compte-demandes'), 'Demandes à traiter 2');
  await visit(agent, 'propositions', '/gestion/propositions', 200, 320);
  names.push('propositions');
  await desk.goto(`${base}/gestion/propositions`);
  const one = await desk.getAttribute('table a >> text=Les Marcheurs du dimanche', 'href');
  const other = await desk.getAttribute('table a >> text=Atelier vélo solidaire', 'href');
  assert.match(one, /^\/gestion\/propositions\/\d+$/);
  assert.equal(await desk.locator('table a >> text=Club de lecture des Essais').count(), 0, 'a withdrawn submission leaves the queue');
  await visit(agent, 'proposition', one, 200, 320);
  await visit(agent, 'proposition-modifier', `${other}/modifier`, 200, 320);
  names.push('proposition', 'proposition-modifier');

  await desk.goto(`${base}${one}`);
  await Promise.all([desk.waitForURL(`${base}${one}`), desk.click('button[type=submit] >> text=Approuver et publier')]);
  assert.match(await desk.textContent('.resume-demande'), /publiée/);
  const entryUrl = await desk.getAttribute('.resume-demande a', 'href');
  assert.match(entryUrl, /^\/annuaire\/associations\/[a-z0-9-]+$/);
  await agent.close();

  // The resident finds it published, and the link to suggest a correction opens the form filled.
  await record(resident, 'proposition-publiee', entryUrl);
  await phone.goto(`${base}${entryUrl}`);
  assert.equal(await phone.textContent('h1'), 'Les Marcheurs du dimanche');
  const suggest = await phone.getAttribute('a >> text=Suggérer une correction', 'href');
  assert.match(suggest, /^\/referencer\?fiche=\d+$/);
  await record(resident, 'referencer-correction', suggest);
  await phone.goto(`${base}${suggest}`);
  assert.equal(await phone.inputValue('#champ-title'), 'Les Marcheurs du dimanche');
  assert.equal(await phone.inputValue('#champ-commune'), '79901');
  assert.equal(await phone.inputValue('#champ-sender_name'), '');
  await resident.close();

  /// Loads `url` in the resident's browser and checks the page it got.
  async function record(ctx, name, url) {
    const page = await ctx.newPage();
    const response = await page.goto(`${base}${url}`);
    assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
    await inspect(name, page.url(), await response.text());
    await page.close();
  }
  /// Axe at 320 px and the screenshots, on `html` as served at `url`, with the site's scripts
  /// blocked (the page as the resident's browser shows it); the stylesheet comes from the server.
  async function inspect(name, url, html) {
    const ctx = await browser.newContext({ bypassCSP: true });
    let served = false;
    await ctx.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'script') return route.abort();
      if (!served && request.isNavigationRequest() && request.url() === url) {
        served = true;
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(url);
    await check(page, name, html, 320);
    names.push(name);
    await ctx.close();
  }
  /// Sends the form on `page` with its button; checks the page it leads to (if `name`), and
  /// gives the private link's token once sent.
  async function send(page, name, expectedStatus) {
    const [response] = await Promise.all([
      // The document the button leads to: the form again, or (redirected) the private page.
      page.waitForResponse((r) => r.request().resourceType() === 'document' && r.status() !== 303),
      page.click('button[type=submit] >> text=Envoyer ma demande'),
    ]);
    await page.waitForLoadState();
    assert.equal(response.status(), expectedStatus, `${name ?? page.url()} answered ${response.status()}`);
    if (name) await inspect(name, page.url(), await response.text());
    if (expectedStatus !== 200) return null;
    const url = new URL(page.url());
    assert.match(url.pathname + url.search, /^\/suivi\/[0-9a-f]{64}\?fait=envoyee$/);
    return url.pathname.split('/')[2];
  }
  async function fillAssociation(title) {
    const page = await resident.newPage();
    await page.goto(`${base}/referencer?type=association`);
    await page.fill('#champ-title', title);
    await page.selectOption('#champ-commune', '79901');
    await page.fill('#champ-summary', `${title}, ouvert à tous.`);
    await page.fill('#champ-sender_name', 'Dominique Essai');
    await page.fill('#champ-sender_email', 'dominique@example.org');
    await page.check('#champ-consent');
    return page;
  }

  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

// Workshops. Self-contained, like the tests above: a trainer (the admin) prepares a workshop
// with JavaScript off at 320 px, prints its cards (a screenshot with print media), and a
// participant logs in with a card, edits a practice page, sends a practice entry and reads the
// practice mailbox; the trainer approves it in the practice queue. Every page goes through axe
// at 320 px and the Nu checker.
test('trainers and participants: a workshop, its printed cards and its sandbox pass axe and the Nu checker, with JavaScript off at 320 px', async () => {
  const names = [];
  const small = { javaScriptEnabled: false, viewport: { width: 320, height: 800 } };
  const trainer = await browser.newContext(small);
  const desk = await login(trainer);
  await record(trainer, 'ateliers', '/ateliers');

  // Sent empty: the form comes back with its errors in French.
  await desk.goto(`${base}/ateliers`);
  await desk.fill('#champ-participants', '99');
  await send(desk, 'ateliers-erreurs', 'Créer l’atelier et ses comptes', 422);
  assert.match(await desk.textContent('[role=alert]'), /Indiquez le titre de l’atelier/);
  assert.equal(await desk.inputValue('#champ-participants'), '99');

  // Prepared for three, with two starting pages.
  const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  await desk.fill('#champ-title', 'Créer son adresse e-mail');
  await desk.fill('#champ-day', paris);
  await desk.fill('#champ-participants', '3');
  await desk.check('#materiel-0');
  await desk.check('#materiel-1');
  await send(desk, 'atelier', 'Créer l’atelier et ses comptes', 200);
  const workshop = new URL(desk.url()).pathname;
  assert.match(workshop, /^\/ateliers\/\d+$/);
  await record(trainer, 'atelier-reinitialiser', `${workshop}/reinitialiser`);

  // The cards: checked, read, and photographed as printed.
  await record(trainer, 'atelier-cartes', `${workshop}/cartes`);
  await desk.goto(`${base}${workshop}/cartes`);
  const values = await desk.locator('.carte-valeur').allTextContents();
  assert.equal(values.length, 9, `three cards of three values: ${values}`);
  const [, login1, password1] = values;
  await desk.emulateMedia({ media: 'print' });
  await desk.setViewportSize({ width: 794, height: 1123 });
  await desk.screenshot({ path: path.join(out, 'screenshots', 'atelier-cartes-impression.png'), fullPage: true });
  assert.equal(await desk.locator('header.entete').isVisible(), false, 'the header is not printed');
  assert.equal(await desk.locator('.carte-connexion').first().isVisible(), true, 'the cards are printed');
  await desk.emulateMedia({ media: 'screen' });

  // A participant follows their card: the address leads to the login, then to the sandbox.
  const participant = await browser.newContext(small);
  const phone = await participant.newPage();
  await phone.goto(`${base}/atelier`);
  assert.match(phone.url(), /\/connexion\?retour=%2Fatelier$/);
  await phone.fill('#champ-email', login1);
  await phone.fill('#champ-password', password1);
  await Promise.all([phone.waitForURL(/\/bac-a-sable$/), phone.click('button[type=submit] >> text=Se connecter')]);
  const sandbox = new URL(phone.url()).pathname;
  assert.match(await phone.textContent('.bandeau-entrainement'), /Espace d’entraînement — rien ici n’est publié/);
  await record(participant, 'bac-a-sable', sandbox);
  const pageUrl = await phone.getAttribute('.liste-pages a >> nth=0', 'href');
  await record(participant, 'bac-a-sable-page', pageUrl);
  await record(participant, 'bac-a-sable-modifier', `${pageUrl}/modifier`);
  await phone.goto(`${base}${pageUrl}/modifier`);
  await phone.fill('#champ-body', '# Mon essai\n\nJ’ai écrit ma **première** page.');
  await Promise.all([phone.waitForURL(`${base}${pageUrl}`), phone.click('button[type=submit] >> text=Enregistrer')]);
  assert.match(await phone.textContent('.contenu-wiki'), /J’ai écrit ma première page/);
  await record(participant, 'bac-a-sable-nouvelle-page', `${workshop}/nouvelle-page`);

  // The practice form, sent once with errors, then filled.
  await record(participant, 'bac-a-sable-referencer-choix', `${workshop}/referencer`);
  await phone.goto(`${base}${workshop}/referencer?type=association`);
  await inspect('bac-a-sable-referencer', phone.url(), await phone.content());
  await phone.fill('#champ-sender_email', 'pas une adresse');
  await send(phone, 'bac-a-sable-referencer-erreurs', 'Envoyer ma demande', 422);
  await phone.fill('#champ-title', 'Club de tricot de la Sorbière');
  await phone.selectOption('#champ-commune', '79901');
  await phone.fill('#champ-summary', 'Tricot et couture, ouvert à toutes et à tous.');
  await phone.fill('#champ-sender_name', 'Marcel Essai');
  await phone.fill('#champ-sender_email', 'marcel@exemple.fr');
  await phone.check('#champ-consent');
  await send(phone, 'bac-a-sable-proposition', 'Envoyer ma demande', 200);
  const submission = new URL(phone.url()).pathname;
  await record(participant, 'bac-a-sable-courriels', `${workshop}/courriels`);
  await phone.goto(`${base}${workshop}/courriels`);
  const message = await phone.getAttribute('table a >> nth=0', 'href');
  await record(participant, 'bac-a-sable-courriel', message);

  // The trainer approves it in the practice queue.
  await record(trainer, 'atelier-file', `${workshop}/propositions`);
  await record(trainer, 'atelier-proposition', submission);
  await desk.goto(`${base}${submission}`);
  await Promise.all([desk.waitForURL(/\/propositions\?etat=waiting$/), desk.click('button[type=submit] >> text=Approuver (entraînement')]);
  await record(trainer, 'atelier-file-acceptees', `${workshop}/propositions?etat=approved`);

  // The practice space of the exchange: the participant asks (sent empty first), the question
  // waits for the trainer, who publishes it from the workshop's moderation queue.
  await record(participant, 'atelier-echanges', `${workshop}/echanges`);
  await phone.goto(`${base}${workshop}/echanges/nouveau`);
  await send(phone, 'atelier-echanges-erreurs', 'Publier', 400);
  await phone.fill('#champ-title', 'Comment joindre la mairie ?');
  await phone.fill('#champ-body', 'Bonjour, à quelle heure ouvre la mairie le samedi ?');
  await send(phone, 'atelier-echanges-sujet', 'Publier', 200);
  assert.match(await phone.textContent('main'), /attend la validation/);
  const practiceThread = new URL(phone.url()).pathname;
  await record(trainer, 'atelier-echanges-moderation', `${workshop}/echanges/moderation`);
  await desk.goto(`${base}${workshop}/echanges/moderation`);
  await Promise.all([desk.waitForURL(/\/echanges\/moderation\?fait=decision$/), desk.click('button[type=submit] >> text=Publier')]);
  await record(trainer, 'atelier-echanges-sujet-formateur', practiceThread);
  await record(participant, 'atelier-echanges-liste', `${workshop}/echanges`);
  await participant.close();
  await trainer.close();

  /// Loads `url` in `ctx` and checks the page it got.
  async function record(ctx, name, url) {
    const page = await ctx.newPage();
    const response = await page.goto(`${base}${url}`);
    assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
    await inspect(name, page.url(), await response.text());
    await page.close();
  }
  /// Axe at 320 px and the screenshots, on `html` as served at `url`, scripts blocked (as the
  /// JavaScript-off browser shows it), in a context that may run axe.
  async function inspect(name, url, html) {
    const ctx = await browser.newContext({ bypassCSP: true });
    let served = false;
    await ctx.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'script') return route.abort();
      if (!served && request.isNavigationRequest()) {
        served = true;
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(url);
    await check(page, name, html, 320);
    names.push(name);
    await ctx.close();
  }
  /// Sends the form on `page` with the button labelled `label`; checks the document it leads to.
  async function send(page, name, label, expectedStatus) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().resourceType() === 'document' && r.status() !== 303),
      page.click(`button[type=submit] >> text=${label}`),
    ]);
    await page.waitForLoadState();
    assert.equal(response.status(), expectedStatus, `${name} answered ${response.status()}`);
    await inspect(name, page.url(), await response.text());
  }

  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

// Accounts. Self-contained, like the tests above, with JavaScript off at 320 px: the admin
// invites an agent (the form sent empty first, then filled), sends the invitation again and
// cancels another; the agent follows the link from the message the server wrote (an .eml
// file), is refused a weak password, chooses a good one and lands on their own account, follows
// a wiki page and stops; logged out, the login page leads to the forgotten-password page, whose
// link (from its message) sets a new password; used or unknown links answer 410. Every page
// goes through axe at 320 px and at 1280 px, and the Nu checker.
test('accounts: invitations, one’s own account, watches and the forgotten password pass axe and the Nu checker, with JavaScript off at 320 px', async () => {
  const names = [];
  const small = { javaScriptEnabled: false, viewport: { width: 320, height: 800 } };
  const agentEmail = 'camille.agent@example.org';
  const weak = 'azertyuiop';
  const good = 'la chèvre broute au lavoir';
  const admin = await browser.newContext(small);
  const desk = await login(admin);
  await record(admin, 'comptes', '/gestion/comptes');

  // Sent empty: the form comes back with its error summary in French, tied to the field.
  await desk.goto(`${base}/gestion/comptes`);
  await send(desk, 'comptes-erreurs', 'Envoyer l’invitation', 422);
  const summary = await desk.locator('[role=alert] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(summary, ['#champ-email'], `the error summary: ${summary}`);
  assert.equal(await desk.getAttribute('#champ-email', 'aria-invalid'), 'true');
  assert.match(await describedBy(desk, '#champ-email'), /Indiquez une adresse e-mail/);

  // Invited as an agent: the account's page, with its role form and the invitation's buttons.
  const before = mailFiles('account.invitation').length;
  await desk.fill('#champ-email', agentEmail);
  await desk.selectOption('#champ-role', 'agent');
  await send(desk, 'compte-invite', 'Envoyer l’invitation', 200);
  const accountUrl = new URL(desk.url()).pathname;
  assert.match(accountUrl, /^\/gestion\/comptes\/\d+$/);
  assert.match(await desk.textContent('[role=status]'), /Invitation envoyée/);
  assert.equal(await desk.inputValue('#champ-role'), 'agent');
  assert.match(await desk.textContent('.infos-compte'), /Invitation envoyée, valable jusqu’au/);
  const firstLink = await mailLink('account.invitation', before + 1, /\/invitation\/[0-9a-f]{64}/);
  // Sent again: the new message replaces the first link.
  await send(desk, 'compte-reinvite', 'Envoyer une nouvelle invitation', 200);
  const invitation = await mailLink('account.invitation', before + 2, /\/invitation\/[0-9a-f]{64}/);
  assert.notEqual(invitation, firstLink);
  await record(admin, 'comptes-liste', '/gestion/comptes');
  await desk.goto(`${base}/gestion/comptes`);
  assert.match(await desk.textContent(`tr:has-text("${agentEmail}")`), /Agent/);

  // Another invitation, cancelled.
  await desk.fill('#champ-email', 'annulee@example.org');
  await send(desk, null, 'Envoyer l’invitation', 200);
  await send(desk, 'compte-invitation-annulee', 'Annuler l’invitation', 200);
  assert.match(await desk.textContent('.infos-compte'), /Désactivé/);
  assert.equal(await desk.locator('button >> text=Réactiver le compte').count(), 1);

  // The admin's own account, and the deletion page (not confirmed).
  await record(admin, 'compte-admin', '/compte');
  await record(admin, 'compte-supprimer-admin', '/compte/supprimer');
  await admin.close();

  // The agent follows the newest link; the first one no longer works.
  const agent = await browser.newContext(small);
  await record(agent, 'invitation-remplacee', firstLink, 410);
  await record(agent, 'invitation', invitation);
  const phone = await agent.newPage();
  await phone.goto(`${base}${invitation}`);
  assert.match(await phone.textContent('main'), new RegExp(agentEmail.replace(/\./g, '\\.')));

  // The keyboard goes name → password → confirmation → button.
  await phone.focus('#champ-name');
  const stops = ['champ-name'];
  for (let i = 0; i < 3; i++) {
    await phone.keyboard.press('Tab');
    stops.push(await phone.evaluate(() => {
      const el = document.activeElement;
      return el.matches('button[type=submit]') ? `bouton ${el.textContent.trim()}` : el.id || el.tagName;
    }));
  }
  assert.deepEqual(stops, ['champ-name', 'champ-password', 'champ-password2', 'bouton Créer mon compte']);

  // A weak password: the error in French, tied to the field; the name is kept.
  await phone.fill('#champ-name', 'Camille Agent');
  await phone.fill('#champ-password', weak);
  await phone.fill('#champ-password2', weak);
  await send(phone, 'invitation-erreurs', 'Créer mon compte', 422);
  assert.equal(await phone.inputValue('#champ-name'), 'Camille Agent');
  assert.equal(await phone.inputValue('#champ-password'), '', 'a password is never sent back');
  assert.equal(await phone.getAttribute('#champ-password', 'aria-invalid'), 'true');
  const weakError = await describedBy(phone, '#champ-password');
  assert.match(weakError, /Ce mot de passe est trop facile à deviner/, `the password’s description: ${weakError}`);
  const errorLinks = await phone.locator('[role=alert] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(errorLinks.includes('#champ-password'), `the error summary: ${errorLinks}`);

  // A good one: logged in, welcomed on their own account.
  await phone.fill('#champ-password', good);
  await phone.fill('#champ-password2', good);
  await send(phone, 'compte-bienvenue', 'Créer mon compte', 200);
  assert.equal(new URL(phone.url()).pathname + new URL(phone.url()).search, '/compte?fait=bienvenue');
  assert.match(await phone.textContent('[role=status]'), /Bienvenue/);
  assert.equal(await phone.inputValue('#champ-name'), 'Camille Agent');
  assert.match(await phone.textContent('#suivis'), /Vous ne suivez aucune page/);
  await record(agent, 'invitation-utilisee', invitation, 410);

  // The password form sent empty comes back with its errors, in its own section.
  await send(phone, 'compte-mot-de-passe-erreurs', 'Changer le mot de passe', 422);
  assert.equal(await phone.getAttribute('#champ-current_password', 'aria-invalid'), 'true');

  // A wiki page followed, found on the account, then no longer followed.
  const wikiPage = '/wiki/qu-est-ce-que-france-services';
  await phone.goto(`${base}${wikiPage}`);
  const title = (await phone.textContent('h1')).trim();
  await send(phone, 'page-suivie', '"Suivre cette page"', 200);
  assert.equal(new URL(phone.url()).pathname, wikiPage);
  assert.equal(await phone.locator('button >> text="Ne plus suivre cette page"').count(), 1);
  await record(agent, 'compte-suivis', '/compte#suivis');
  await phone.goto(`${base}/compte#suivis`);
  assert.equal(await phone.locator('#suivis a', { hasText: title }).getAttribute('href'), wikiPage);
  await phone.goto(`${base}${wikiPage}`);
  await send(phone, null, '"Ne plus suivre cette page"', 200);
  assert.equal(await phone.locator('button >> text="Suivre cette page"').count(), 1);
  await phone.goto(`${base}/compte#suivis`);
  assert.match(await phone.textContent('#suivis'), /Vous ne suivez aucune page/);
  // A directory entry followed, and no longer followed from the account page.
  const entryPage = '/annuaire/services/france-services-du-val-de-sorbiere';
  await phone.goto(`${base}${entryPage}`);
  await send(phone, 'fiche-suivie', '"Suivre cette fiche"', 200);
  assert.equal(new URL(phone.url()).pathname, entryPage);
  assert.equal(await phone.locator('button >> text="Ne plus suivre cette fiche"').count(), 1);
  await phone.goto(`${base}/compte#suivis`);
  await send(phone, null, '"Ne plus suivre cette fiche"', 200);
  assert.equal(new URL(phone.url()).pathname, '/compte');
  assert.match(await phone.textContent('#suivis'), /Vous ne suivez aucune page/);
  await record(agent, 'compte-supprimer', '/compte/supprimer');
  await agent.close();

  // Logged out: the login page leads to the forgotten password; the same answer for any address.
  const visitor = await browser.newContext(small);
  await record(visitor, 'connexion-aide', '/connexion');
  await record(visitor, 'lien-invalide', `/mot-de-passe/${'0'.repeat(64)}`, 410);
  assert.match(await textOf(visitor, `/mot-de-passe/${'0'.repeat(64)}`), /Ce lien ne fonctionne plus/);
  const door = await visitor.newPage();
  await door.goto(`${base}/connexion`);
  assert.ok((await door.getAttribute('#champ-email', 'aria-describedby')).includes('aide-email'), 'the hint is tied to the identifier field');
  await Promise.all([door.waitForURL(`${base}/mot-de-passe-oublie`), door.click('a >> text=Mot de passe oublié')]);
  await record(visitor, 'mot-de-passe-oublie', '/mot-de-passe-oublie');
  await door.fill('#champ-email', 'pas une adresse');
  await send(door, 'mot-de-passe-oublie-erreur', 'Recevoir un lien', 422);
  await door.fill('#champ-email', 'personne@example.org');
  await send(door, null, 'Recevoir un lien', 200);
  const unknown = await door.textContent('[role=status]');
  const resets = mailFiles('account.reset').length;
  await door.goto(`${base}/mot-de-passe-oublie`);
  await door.fill('#champ-email', agentEmail);
  await send(door, 'mot-de-passe-oublie-envoye', 'Recevoir un lien', 200);
  assert.equal(await door.textContent('[role=status]'), unknown, 'the same words whatever the address');
  const reset = await mailLink('account.reset', resets + 1, /\/mot-de-passe\/[0-9a-f]{64}/);
  await record(visitor, 'mot-de-passe-nouveau', reset);
  await door.goto(`${base}${reset}`);
  await door.fill('#champ-password', weak);
  await door.fill('#champ-password2', weak);
  await send(door, 'mot-de-passe-nouveau-erreurs', 'Enregistrer le mot de passe', 422);
  assert.equal(await door.getAttribute('#champ-password', 'aria-invalid'), 'true');
  await door.fill('#champ-password', `${good} du village`);
  await door.fill('#champ-password2', `${good} du village`);
  await send(door, null, 'Enregistrer le mot de passe', 200);
  assert.equal(new URL(door.url()).pathname + new URL(door.url()).search, '/compte?fait=mot-de-passe');
  await record(visitor, 'lien-utilise', reset, 410);
  await visitor.close();

  /// Loads `url` in `ctx` and checks the page it got.
  async function record(ctx, name, url, expectedStatus = 200) {
    const page = await ctx.newPage();
    const response = await page.goto(`${base}${url}`);
    assert.equal(response.status(), expectedStatus, `${url} answered ${response.status()}`);
    await inspect(name, page.url(), await response.text());
    await page.close();
  }
  async function textOf(ctx, url) {
    const page = await ctx.newPage();
    await page.goto(`${base}${url}`);
    const text = await page.textContent('main');
    await page.close();
    return text;
  }
  /// Axe at 320 px and the screenshots, on `html` as served at `url`, scripts blocked (as the
  /// JavaScript-off browser shows it), in a context that may run axe.
  async function inspect(name, url, html) {
    const ctx = await browser.newContext({ bypassCSP: true });
    let served = false;
    await ctx.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'script') return route.abort();
      if (!served && request.isNavigationRequest()) {
        served = true;
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(url);
    await check(page, name, html, 320);
    names.push(name);
    // Axe again at the desktop width the screenshots left.
    const wide = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }));
    assert.deepEqual(wide.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe found violations on ${name} at 1280 px`);
    await ctx.close();
  }
  /// Sends the form on `page` with the button labelled `label`; checks the document it leads
  /// to (if `name`).
  async function send(page, name, label, expectedStatus) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().resourceType() === 'document' && r.status() !== 303),
      page.click(`button[type=submit] >> text=${label}`),
    ]);
    await page.waitForLoadState();
    assert.equal(response.status(), expectedStatus, `${name ?? label} answered ${response.status()}`);
    if (name) await inspect(name, page.url(), await response.text());
  }
  /// The text of the elements that describe `selector` (its hint and its error).
  async function describedBy(page, selector) {
    return page.evaluate((sel) => {
      const ids = (document.querySelector(sel).getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      return ids.map((id) => document.getElementById(id)?.textContent.trim() ?? `(no #${id})`).join(' | ');
    }, selector);
  }
  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

// The exchange space (issue 12). Self-contained, like the tests above, with JavaScript off at
// 320 px: a resident signs up from a phone, follows the confirmation link of the message the
// server wrote (an .eml file), asks a question and is told it waits for an agent; an agent
// approves it from the moderation queue, answers and marks the answer; the resident replies
// (held again: still a new member) and reports a post of the agent's. Every page goes through
// axe at 320 px and at 1280 px, the Nu checker, and must not scroll sideways at 320 px: the
// sign-up and its confirmation, a category, a thread with a held post seen by its author and
// the chosen answer, the member's notifications, and both tabs of the moderation queue.
test('exchange space: a resident asks from a phone, an agent moderates and answers; every page passes axe and the Nu checker and fits 320 px, with JavaScript off', async () => {
  const names = [];
  const small = { javaScriptEnabled: false, viewport: { width: 320, height: 800 } };
  const agent = { email: 'agathe.agent@example.org', password: 'mot de passe de l’agente' };
  runLieu(['user', 'add', '--email', agent.email, '--name', 'Agathe Agent', '--role', 'agent'], `${agent.password}\n`);
  const question = 'Comment renouveler une carte grise ?';
  const password = 'la chèvre broute au lavoir';

  // Sign-up on the phone; the link comes by e-mail.
  const resident = await browser.newContext(small);
  await record(resident, 'inscription', '/inscription');
  const phone = await resident.newPage();
  await phone.goto(`${base}/inscription`);
  await phone.fill('#champ-name', 'Camille Roux');
  await phone.fill('#champ-email', 'camille.roux@example.org');
  await phone.fill('#champ-password', password);
  await phone.fill('#champ-password2', password);
  await phone.check('#champ-consent');
  const sent = mailFiles('account.confirmation').length;
  await send(phone, 'inscription-envoyee', 'Créer mon compte', 200);
  assert.equal(new URL(phone.url()).pathname, '/inscription/envoyee');
  const link = await mailLink('account.confirmation', sent + 1, /\/confirmer\/[0-9a-f]+/);
  await record(resident, 'confirmer-adresse', link);
  await phone.goto(`${base}${link}`);
  await send(phone, 'adresse-confirmee', 'Confirmer mon adresse', 200);
  assert.equal(new URL(phone.url()).pathname + new URL(phone.url()).search, '/compte?fait=adresse-confirmee');

  // The question: held, and the resident is told so.
  await record(resident, 'echanges', '/echanges');
  await record(resident, 'echanges-nouveau-sujet', '/echanges/questions-services-publics/nouveau');
  await phone.goto(`${base}/echanges/questions-services-publics/nouveau`);
  assert.equal(await phone.isChecked('#kind-question'), true, 'a question by default');
  await phone.fill('#champ-title', question);
  await phone.fill('#champ-body', 'Bonjour, j’ai déménagé : ma carte grise porte encore mon ancienne adresse. Que dois-je faire ?');
  await send(phone, 'sujet-en-attente', 'Publier', 200);
  const thread = new URL(phone.url()).pathname;
  assert.match(thread, /^\/echanges\/sujet\/\d+$/);
  assert.match(await phone.textContent('main'), /Votre message sera visible de tous dès qu’un agent l’aura relu/);
  assert.match(await phone.textContent('main'), /Votre sujet attend la validation d’un agent/);

  // The agent: the held tab of the queue, the approval, the answer, marked.
  const desk = await browser.newContext(small);
  const office = await desk.newPage();
  await office.goto(`${base}/connexion`);
  await office.fill('#champ-email', agent.email);
  await office.fill('#champ-password', agent.password);
  await Promise.all([office.waitForURL(`${base}/`), office.click('button[type=submit] >> text=Se connecter')]);
  await record(desk, 'moderation-en-attente', '/gestion/moderation');
  await office.goto(`${base}/gestion/moderation`);
  await press(office, null, `article:has-text("${question}") button[value=approve]`, 200);
  assert.match(await office.textContent('main'), /Décision enregistrée[\s\S]*Aucun message n’attend de relecture/);
  await office.goto(`${base}${thread}`);
  await office.fill('#champ-body', 'Bonjour, le changement d’adresse se fait en ligne sur le site de l’ANTS, gratuitement. Nous pouvons le faire avec vous au guichet.');
  await send(office, null, 'Envoyer la réponse', 200);
  await send(office, 'sujet-vu-par-un-agent', 'C’est la bonne réponse', 200);
  assert.match(await office.textContent('.reponse-choisie'), /site de l’ANTS/);

  // A discussion of the agent's, that the resident will report.
  await office.goto(`${base}/echanges/entraide/nouveau`);
  await office.check('#kind-discussion');
  await office.fill('#champ-title', 'Vide-grenier de la Saint-Jean');
  await office.fill('#champ-body', 'Inscriptions ouvertes pour le vide-grenier du 24 juin, place de l’église.');
  await send(office, null, 'Publier', 200);
  const discussion = new URL(office.url()).pathname;

  // The resident replies (held: still a new member) and sees the chosen answer under the question.
  await phone.goto(`${base}${thread}`);
  await phone.fill('#champ-body', 'Merci beaucoup ! Faut-il un justificatif de domicile ?');
  await send(phone, null, 'Envoyer la réponse', 200);
  await record(resident, 'sujet-avec-reponse-et-message-en-attente', thread);
  await phone.goto(`${base}${thread}`);
  assert.match(await phone.textContent('.reponse-choisie'), /site de l’ANTS/);
  assert.match(await phone.textContent('main'), /En attente de validation par un agent : vous seul le voyez/);
  assert.match(await phone.textContent('main'), /Résolu/);
  // The category page is checked by the next test.
  await phone.goto(`${base}/echanges/questions-services-publics`);
  assert.match(await phone.textContent('main'), new RegExp(question.replace('?', '\\?')));

  // The member's notifications: approved, replied, answered.
  await record(resident, 'notifications', '/notifications');
  await phone.goto(`${base}/notifications`);
  const told = await phone.textContent('main');
  for (const words of [/Votre message est publié dans/, /a répondu dans/, /Votre question a reçu sa réponse/]) {
    assert.match(told, words);
  }

  // A report, and the queue's reported tab.
  await phone.goto(`${base}${discussion}`);
  const report = await phone.getAttribute('a[href$="/signaler"]', 'href');
  await record(resident, 'signaler', report);
  await phone.goto(`${base}${report}`);
  await phone.check('#reason-off_topic');
  await phone.fill('#champ-detail', 'Ce n’est pas de l’entraide.');
  await send(phone, null, 'Envoyer le signalement', 200);
  assert.match(await phone.textContent('main'), /votre signalement est transmis/);
  await record(desk, 'moderation-signalements', '/gestion/moderation?file=signalements');
  await office.goto(`${base}/gestion/moderation?file=signalements`);
  assert.match(await office.textContent('main'), /Vide-grenier de la Saint-Jean[\s\S]*Ce n’est pas de l’entraide/);
  await resident.close();
  await desk.close();

  /// Loads `url` in `ctx` and checks the page it got.
  async function record(ctx, name, url) {
    const page = await ctx.newPage();
    const response = await page.goto(`${base}${url}`);
    assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
    await inspect(name, page.url(), await response.text());
    await page.close();
  }
  /// Axe at 320 px and 1280 px and the screenshots, on `html` as served at `url`, scripts
  /// blocked (as the JavaScript-off browser shows it); at 320 px the page must not scroll
  /// sideways.
  async function inspect(name, url, html) {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 800 } });
    let served = false;
    await ctx.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'script') return route.abort();
      if (!served && request.isNavigationRequest()) {
        served = true;
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      return route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(url);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px at 320 px`);
    await check(page, name, html, 320);
    names.push(name);
    const wide = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }));
    assert.deepEqual(wide.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe found violations on ${name} at 1280 px`);
    await ctx.close();
  }
  /// Clicks `selector` on `page` (a form's button); checks the document it leads to (if `name`).
  async function press(page, name, selector, expectedStatus) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().resourceType() === 'document' && r.status() !== 303),
      page.click(selector),
    ]);
    await page.waitForLoadState();
    assert.equal(response.status(), expectedStatus, `${name ?? selector} answered ${response.status()}`);
    if (name) await inspect(name, page.url(), await response.text());
  }
  async function send(page, name, label, expectedStatus) {
    await press(page, name, `button[type=submit] >> text=${label}`, expectedStatus);
  }
  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});

test('exchange space: a category page with threads passes axe and the Nu checker and fits 320 px, with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  const page = await login(context);
  await page.goto(`${base}/echanges/questions-services-publics/nouveau`);
  await page.check('#kind-discussion');
  await page.fill('#champ-title', 'Permanence des impôts en décembre');
  await page.fill('#champ-body', 'Un agent des impôts tient une permanence le 12 décembre, sur rendez-vous.');
  await Promise.all([page.waitForURL(/\/echanges\/sujet\/\d+/), page.click('button[type=submit] >> text=Publier')]);
  const url = `${base}/echanges/questions-services-publics`;
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  const html = await response.text();
  assert.match(html, /Permanence des impôts en décembre/);
  await context.close();

  const name = 'echanges-categorie';
  const file = path.join(out, 'html', `${name}.html`);
  writeFileSync(file, html);
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');

  // As the JavaScript-off browser got it, in a context that may run axe.
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 800 } });
  let served = false;
  await ctx.route('**/*', (route) => {
    const request = route.request();
    if (request.resourceType() === 'script') return route.abort();
    if (!served && request.isNavigationRequest()) {
      served = true;
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    }
    return route.continue();
  });
  const shown = await ctx.newPage();
  await shown.goto(url);
  const overflow = await shown.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px at 320 px`);
  try {
    await check(shown, name, html, 320);
  } finally {
    await ctx.close();
  }
});

/// The pages of a PDF as Chromium writes it, in order, each with the addresses of its links
/// (`/Annots` → `/URI`). Chromium's PDFs keep their dictionaries uncompressed (only the
/// content streams are), so that reading the object table is enough.
function pdfPages(pdf) {
  const text = pdf.toString('latin1');
  const objects = new Map();
  for (const m of text.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]);
  const refs = (s) => [...(s ?? '').matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));
  const dict = (n) => (objects.get(n) ?? '').split('stream')[0];
  const catalog = [...objects.values()].find((o) => /\/Type\s*\/Catalog/.test(o));
  assert.ok(catalog, 'a PDF catalog');
  const pages = [];
  const walk = (n) => {
    const node = dict(n);
    if (/\/Type\s*\/Pages\b/.test(node)) {
      for (const kid of refs(node.match(/\/Kids\s*\[([^\]]*)\]/)?.[1])) walk(kid);
    } else if (/\/Type\s*\/Page\b/.test(node)) {
      let annots = node.match(/\/Annots\s*\[([^\]]*)\]/)?.[1];
      const indirect = node.match(/\/Annots\s+(\d+) 0 R/);
      if (!annots && indirect) annots = dict(Number(indirect[1]));
      const links = refs(annots).map((a) => dict(a).match(/\/URI\s*\(([^)]*)\)/)?.[1]).filter(Boolean);
      pages.push({ links });
    }
  };
  walk(refs(catalog.match(/\/Pages\s+\d+ 0 R/)?.[0])[0]);
  return pages;
}

/// The entries (by address) whose links are not all on one page: each entry has a link at its
/// top (its title) and one at its bottom (its address in letters).
function entriesCut(pages, urls) {
  return urls.filter((url) => {
    const on = pages.flatMap((p, i) => p.links.filter((l) => l === url).map(() => i));
    return on.length < 2 || new Set(on).size > 1;
  });
}

// The paper directory (issue 13): a commune’s document passes axe (at 320 px and at 1280 px)
// and the Nu checker, as does the page that chooses it, which works without JavaScript; printed to an A4
// PDF in print media, it fills the pages expected from its number of entries, and no entry is
// cut across two pages — a check that fails when `break-inside: avoid` is lifted.
test('the paper directory of a commune prints to A4 with no entry cut across two pages, and passes axe and the Nu checker', async () => {
  const names = [];
  const context = await browser.newContext({ bypassCSP: true });
  for (const [name, url, width] of [
    ['annuaire-imprimer-choix', '/annuaire/imprimer', 320],
    ['annuaire-papier', '/annuaire/imprimer/79901', 320],
    ['annuaire-papier-1280', '/annuaire/imprimer/79901', undefined],
  ]) {
    await visit(context, name, url, 200, width);
    names.push(name);
  }
  // The choice leads to the document without JavaScript.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const chooser = await nojs.newPage();
  await chooser.goto(`${base}/annuaire/imprimer`);
  await chooser.selectOption('#papier-commune', '79901');
  await Promise.all([chooser.waitForURL(`${base}/annuaire/imprimer/79901`), chooser.click('button[type=submit] >> text=Préparer le document')]);
  assert.equal(await chooser.locator('button[data-imprimer]').isVisible(), false, 'no print button without JavaScript');
  await nojs.close();

  const page = await context.newPage();
  await page.goto(`${base}/annuaire/imprimer/79901`);
  assert.equal(await page.locator('button[data-imprimer]').isVisible(), true, 'the print button with JavaScript');
  const urls = await page.locator('.papier-fiche .papier-url a').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(urls.length >= 8, `entries of Saint-Aubin: ${urls.length}`);
  assert.equal(await page.locator('.papier-fiche svg.qr').count(), urls.length, 'one QR code per entry');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.entete').isVisible(), false, 'the header is not printed');
  assert.equal(await page.locator('.papier-fiche').first().isVisible(), true, 'the entries are printed');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
  writeFileSync(path.join(out, 'annuaire-papier.pdf'), pdf);
  const pages = pdfPages(pdf);
  // An A4 page holds two to six entries, and the header takes a third of the first.
  const [least, most] = [Math.ceil(urls.length / 6), Math.ceil(urls.length / 2) + 1];
  console.log(`paper directory of Saint-Aubin: ${urls.length} entries on ${pages.length} A4 pages (expected ${least} to ${most})`);
  assert.ok(pages.length >= least && pages.length <= most, `${pages.length} pages for ${urls.length} entries`);
  assert.deepEqual(entriesCut(pages, urls), [], 'entries cut across two pages');

  // The check is real: without `break-inside: avoid`, some entry is cut.
  await page.locator('.papier-fiche').evaluateAll((items) => items.forEach((li) => {
    li.style.setProperty('break-inside', 'auto', 'important');
    li.style.setProperty('page-break-inside', 'auto', 'important');
  }));
  const loose = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  assert.ok(entriesCut(loose, urls).length > 0, 'without break-inside: avoid, an entry is cut, so the check above can fail');
  await context.close();

  const files = names.map((name) => path.join(out, 'html', `${name}.html`));
  const vnu = spawnSync('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.notEqual(vnu.error?.code, 'ENOENT', 'java is needed for the Nu HTML checker');
  const messages = JSON.parse(vnu.stderr).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  assert.deepEqual(messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'}: ${m.message}`), [], 'the Nu HTML checker found errors');
  assert.equal(vnu.status, 0, vnu.stderr);
});
