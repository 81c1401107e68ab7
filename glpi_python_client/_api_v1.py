"""The public methods that use GLPI's legacy v1 API: document files and the Fields plugin."""

from __future__ import annotations

from ._operation import operation, streamed
from ._operations import documents_io, fields

__all__ = ["PluginFieldsAPI", "V1DocumentsAPI"]


class V1DocumentsAPI:
    """Document content: upload and link (v1 ``/Document``, ``/Document_Item``), download (v2, whole or streamed)."""

    upload_document = operation(documents_io.upload_document)
    link_ticket_timeline_document = operation(documents_io.link_ticket_timeline_document)
    download_document_content = operation(documents_io.download_document_content)
    download_document_to = operation(documents_io.download_document_to)
    stream_document_content = streamed(documents_io.stream_document_content)


class PluginFieldsAPI:
    """Custom fields of the Fields plugin (v1 ``PluginFieldsContainer``, ``PluginFieldsField``, values rows)."""

    list_plugin_fields_containers = operation(fields.list_plugin_fields_containers)
    list_plugin_fields_fields = operation(fields.list_plugin_fields_fields)
    list_item_plugin_field_rows = operation(fields.list_item_plugin_field_rows)
    create_item_plugin_field_row = operation(fields.create_item_plugin_field_row)
    update_item_plugin_field_row = operation(fields.update_item_plugin_field_row)
    get_ticket_custom_fields = operation(fields.get_ticket_custom_fields)
    set_ticket_custom_fields = operation(fields.set_ticket_custom_fields)
