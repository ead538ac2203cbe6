// Suggestions under the search box of the header, as an ARIA 1.2 combobox (list
// autocomplete): arrows choose, Enter opens, Escape closes, and a polite live region says
// how many suggestions there are. Without this script, the box is a plain search form and
// everything works the same. No framework, no inline code: the Content-Security-Policy
// allows scripts from this site's files only. The French texts come from the box's data-*
// attributes, written by the server.
(function () {
  'use strict';
  var input = document.getElementById('lieu_recherche');
  if (!input || !input.form || !window.fetch || !window.AbortController) return;

  var DELAY_MS = 150;
  var MIN_CHARS = 2;
  var texts = input.dataset;

  var box = document.createElement('div');
  box.className = 'recherche-combo';
  input.parentNode.insertBefore(box, input);
  box.appendChild(input);

  var list = document.createElement('ul');
  list.id = 'lieu_suggestions';
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', texts.suggestionsLabel || 'Suggestions');
  list.hidden = true;
  box.appendChild(list);

  var status = document.createElement('div');
  status.className = 'visuellement-cache';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  input.form.appendChild(status);

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');

  var items = [];
  var active = -1;
  var timer = 0;
  var pending = null;

  function isOpen() {
    return !list.hidden;
  }

  function open() {
    if (!items.length) return;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    select(-1);
  }

  function select(index) {
    var options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = index;
    if (index >= 0 && options[index]) {
      options[index].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function announce(count) {
    var text;
    if (count === 0) text = texts.suggestionsNone || '';
    else if (count === 1) text = texts.suggestionsOne || '';
    else text = (texts.suggestionsMany || '').replace('{n}', String(count));
    status.textContent = text;
  }

  function show(suggestions) {
    items = Array.isArray(suggestions) ? suggestions : [];
    select(-1);
    list.textContent = '';
    items.forEach(function (item, i) {
      var option = document.createElement('li');
      option.id = 'lieu_suggestion_' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      var title = document.createElement('span');
      title.className = 'suggestion-titre';
      title.textContent = String(item.title);
      var kind = document.createElement('span');
      kind.className = 'suggestion-type';
      kind.textContent = String(item.label);
      option.appendChild(title);
      option.appendChild(document.createTextNode(' '));
      option.appendChild(kind);
      list.appendChild(option);
    });
    if (items.length && document.activeElement === input) open();
    else close();
    announce(items.length);
  }

  function cancel() {
    window.clearTimeout(timer);
    if (pending) pending.abort();
    pending = null;
  }

  function fetchSuggestions() {
    var typed = input.value;
    if (typed.trim().length < MIN_CHARS) {
      cancel();
      items = [];
      list.textContent = '';
      close();
      status.textContent = '';
      return;
    }
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    fetch('/recherche/suggestions?q=' + encodeURIComponent(typed), {
      signal: controller.signal,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (suggestions) {
        if (pending !== controller || input.value !== typed) return;
        pending = null;
        show(suggestions);
      })
      .catch(function () {
        // Aborted for a newer request, or offline: the form still works.
      });
  }

  function go(index) {
    var item = items[index];
    if (!item || typeof item.url !== 'string' || item.url.charAt(0) !== '/' || item.url.charAt(1) === '/') return;
    close();
    window.location.assign(item.url);
  }

  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowDown':
      case 'Down':
        if (!items.length) return;
        event.preventDefault();
        if (!isOpen()) open();
        select(active + 1 < items.length ? active + 1 : 0);
        break;
      case 'ArrowUp':
      case 'Up':
        if (!items.length) return;
        event.preventDefault();
        if (!isOpen()) open();
        select(active > 0 ? active - 1 : items.length - 1);
        break;
      case 'Enter':
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(active);
        }
        break;
      case 'Escape':
      case 'Esc':
        if (isOpen()) {
          event.preventDefault();
          close();
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener('blur', function () {
    close();
  });

  input.form.addEventListener('submit', function () {
    cancel();
    close();
  });

  // A press on an option would take the focus from the box (and close the list) before the
  // click: keep the focus, then open the option.
  list.addEventListener('mousedown', function (event) {
    event.preventDefault();
  });
  list.addEventListener('click', function (event) {
    var option = event.target.closest('[role="option"]');
    if (option) go(Array.prototype.indexOf.call(list.children, option));
  });
})();

// The printed directory's "Imprimer" button: shown only when this script runs, as the page
// prints just as well with the browser's own command.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('[data-imprimer]'), function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
