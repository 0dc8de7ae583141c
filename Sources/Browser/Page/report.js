const films = Array.from(document.querySelectorAll('#manifolds video'));
const slider = document.getElementById('snapshot');
const batch = document.getElementById('snapshot-batch');
const button = document.getElementById('play-all');
function showBatch(k) { batch.textContent = 'Batch: ' + (snapshotIterations[k] ?? 0); }
function seekAll(k) {
  for (const v of films) { v.pause(); v.currentTime = (k + 0.5) / fps; }
  showBatch(k);
  button.textContent = 'Play all';
}
slider.addEventListener('input', () => seekAll(Number(slider.value)));
button.addEventListener('click', () => {
  if (films.some(v => !v.paused)) { films.forEach(v => v.pause()); button.textContent = 'Play all'; return; }
  const t = films.length ? films[0].currentTime : 0;
  for (const v of films) { v.currentTime = t; v.play().catch(() => {}); }
  button.textContent = 'Pause all';
});
if (films.length) films[0].addEventListener('timeupdate', () => {
  if (films[0].paused) return;
  const k = Math.min(snapshotIterations.length - 1, Math.floor(films[0].currentTime * fps));
  slider.value = k; showBatch(k);
});
