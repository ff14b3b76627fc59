# {{ name }}

Created with `devkit init --template {{ template }}`.

Copyright {{ year }} the {{ name }} authors.
