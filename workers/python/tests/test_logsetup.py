import json
import logging
import unittest

from exportflows_worker.logsetup import JsonFormatter


class JsonFormatterTests(unittest.TestCase):
    def test_Format_ExtraFields_AreKeysOfOneJsonLine(self):
        record = logging.LogRecord("exportflows_worker.runner", logging.INFO, __file__, 1, "export finished: %d object(s)",
                                   (3,), None)
        record.export_type = "tonight-players"
        record.correlation_id = "c-1"
        entry = json.loads(JsonFormatter().format(record))
        self.assertEqual(entry["message"], "export finished: 3 object(s)")
        self.assertEqual((entry["level"], entry["export_type"], entry["correlation_id"]), ("INFO", "tonight-players", "c-1"))
        self.assertRegex(entry["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertNotIn("args", entry)


if __name__ == "__main__":
    unittest.main()
