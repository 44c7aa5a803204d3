"""The contact table (附件3): each county's leader in charge and liaison."""
