// Viewer-request function for a Hexo site served from S3 through CloudFront.
// - www.<domain>/<path> is redirected (301) to https://<domain>/<path>.
// - /<path>/ is rewritten to /<path>/index.html, the file Hexo writes for a
//   pretty URL; /<path> without a file extension is redirected to /<path>/ so
//   that the page's relative links resolve.
// - A redirect never leaves the site: runs of / and \ in the path become
//   one /, so //evil.example/x cannot become a protocol-relative Location.
function handler(event) {
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value : '';
  var path = samePath(request.uri);
  if (host.indexOf('www.') === 0) {
    return redirect('https://' + host.slice(4) + path + query(request.querystring));
  }
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    return redirect(path + '/' + query(request.querystring));
  }
  return request;
}

// samePath turns every run of slashes and backslashes into one slash, which
// browsers then cannot read as the start of another host.
function samePath(uri) {
  return ('/' + uri).replace(/[\/\\]+/g, '/');
}

function redirect(location) {
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: { location: { value: location } }
  };
}

// query rebuilds the query string, keeping repeated keys.
function query(qs) {
  var parts = [];
  Object.keys(qs || {}).forEach(function (key) {
    var entry = qs[key];
    var values = entry.multiValue ? entry.multiValue : [entry];
    values.forEach(function (v) {
      parts.push(v.value === '' ? key : key + '=' + v.value);
    });
  });
  return parts.length ? '?' + parts.join('&') : '';
}
