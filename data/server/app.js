/*
 * app.js: the only script of nethealth serve's pages (served as
 * /static/app.js, loaded with defer). Everything works without it; it
 * only adds:
 *   - on the progress page (#progress), a poll of GET /api/v1/tests/{id}
 *     every second that updates the state and the elapsed time, and
 *     reloads the page when the test is done or has failed; it first
 *     cancels the page's 2 s meta refresh (window.stop()), which is what
 *     readers without scripts get;
 *   - on the result page, a button that copies the permanent link.
 * No inline code, no eval, no outside request: the site's CSP allows
 * scripts from 'self' only.
 */
(function () {
	'use strict';

	var STATES = {
		queued: 'Waiting for a free slot',
		running: 'Running',
		done: 'Done',
		error: 'Could not run'
	};

	function elapsedWords(secs) {
		var s = Math.max(0, Math.floor(secs));

		if (s < 60)
			return s + ' s';
		return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
	}

	function progress(section) {
		var id = section.getAttribute('data-id');
		var state = document.getElementById('state');
		var elapsed = document.getElementById('elapsed');
		var since = Date.now() -
		    1000 * (parseFloat(section.getAttribute('data-elapsed')) || 0);
		var failures = 0;

		if (!id || !/^[0-9a-f]{32}$/.test(id))
			return;

		function tick() {
			if (elapsed)
				elapsed.textContent =
				    elapsedWords((Date.now() - since) / 1000);
		}

		/* The API is away: after a few tries, reload as without
		 * scripts. */
		function failed() {
			if (++failures >= 5)
				window.location.reload();
			else
				window.setTimeout(poll, 1000);
		}

		/* One request at a time, a second apart. */
		function poll() {
			var xhr = new XMLHttpRequest();

			xhr.open('GET', '/api/v1/tests/' + id);
			xhr.setRequestHeader('Accept', 'application/json');
			xhr.timeout = 5000;
			xhr.onload = function () {
				var t;

				if (xhr.status !== 200) {
					failed();
					return;
				}
				try {
					t = JSON.parse(xhr.responseText);
				} catch (e) {
					failed();
					return;
				}
				failures = 0;
				if (t.status === 'done' || t.status === 'error') {
					window.location.reload();
					return;
				}
				if (state && STATES[t.status] &&
				    state.textContent !== STATES[t.status])
					state.textContent = STATES[t.status];
				if (typeof t.elapsed === 'number')
					since = Date.now() - 1000 * t.elapsed;
				tick();
				window.setTimeout(poll, 1000);
			};
			xhr.onerror = failed;
			xhr.ontimeout = failed;
			xhr.send();
		}

		/* The page's <meta http-equiv="refresh"> is for readers
		 * without scripts: once everything is loaded, window.stop()
		 * cancels it, and the poll takes over. */
		function takeOver() {
			window.stop();
			window.setInterval(tick, 1000);
			/* Not at once: a result not yet served reloads at most
			 * once a second. */
			window.setTimeout(poll, 1000);
		}

		if (document.readyState === 'complete')
			takeOver();
		else
			window.addEventListener('load', takeOver);
	}

	function copyLink(button) {
		var link = document.getElementById('permalink');
		var status = document.getElementById('copy-status');

		if (!link || !navigator.clipboard || !window.isSecureContext)
			return;
		button.hidden = false;
		button.addEventListener('click', function () {
			navigator.clipboard.writeText(link.href).then(function () {
				if (status)
					status.textContent = 'Link copied';
			}, function () {
				if (status)
					status.textContent =
					    'Could not copy; select the link instead';
			});
		});
	}

	function init() {
		var section = document.getElementById('progress');
		var button = document.getElementById('copy-permalink');

		if (section)
			progress(section);
		if (button)
			copyLink(button);
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
}());
