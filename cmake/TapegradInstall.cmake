# Placeholder replaced by the install/export work (issue 7).
