import gzip
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawlers.warc import WarcArchive, read_response


def test_records_read_back_at_their_offsets(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path / "warc" / "run" / "src.warc.gz", tmp_path)
    body_ru = "<html><body>Полиция задержала</body></html>".encode()
    first = archive.write("https://a.kg/1", 200, "OK", [("Content-Type", "text/html")], body_ru,
                          [("User-Agent", "steppewatch")])
    gz = gzip.compress(b"<html>compressed</html>")
    second = archive.write("https://a.kg/2", 200, "OK",
                           [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")], gz, [])
    archive.close()

    assert first.warc_file == "warc/run/src.warc.gz"
    assert first.capture_id != second.capture_id
    one = read_response(tmp_path, first.warc_file, first.offset)
    assert (one.url, one.status, one.body) == ("https://a.kg/1", 200, body_ru)
    two = read_response(tmp_path, second.warc_file, second.offset)
    assert two.body == b"<html>compressed</html>"  # Content-Encoding decoded on read
    with (tmp_path / first.warc_file).open("rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["response", "request", "response", "request"]
