// The home page's 「現在地から探す」: asks for the position and opens the search page sorted by
// distance from it (search-ui.js reads near=LAT,LON). Without JavaScript, or in a browser that
// cannot tell the position, the button stays hidden and the municipality form next to it does the
// same from a municipality's position.

const $ = (id) => document.getElementById(id);
const form = $('home-near-form');
const status = $('home-geo-status');

function say(text, error = false) {
  status.textContent = text;
  status.classList.toggle('is-error', error);
}

function locate() {
  const other = '下で市町村を選んでください。';
  say('現在地を調べています…');
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      // About 1 km: the search page rounds the same way, and the URL carries no more than that.
      const round2 = (x) => Math.round(x * 100) / 100;
      const target = new URL(form.action);
      target.searchParams.set('near', `${round2(pos.coords.latitude)},${round2(pos.coords.longitude)}`);
      location.assign(target);
    },
    (err) => say(err.code === 1
      ? `現在地の利用が許可されませんでした。ブラウザや端末の設定で位置情報を許可するか、${other}`
      : `現在地がわかりませんでした。もう一度押すか、${other}`, true),
    { timeout: 20000, maximumAge: 600000 },
  );
}

if (navigator.geolocation) {
  $('home-geo-button').addEventListener('click', locate);
  $('home-geo').hidden = false;
}
