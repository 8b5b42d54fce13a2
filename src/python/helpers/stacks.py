"""Creates a remote (kubernetes / vertex / sagemaker / azureml) stack through
the user's Kitaru, which owns flavor validation, service connectors and
provider SDK checks. The arguments were already validated in TypeScript with
the same rules, so Python's checks pass through unchanged here."""


def stack_create(args, ctx):
    import kitaru._interface_stacks as stack_interface
    import kitaru.inspection as inspection

    request = stack_interface.build_manage_stack_request(**args)
    result = stack_interface.execute_stack_create_request(request)
    return inspection.serialize_stack_create_result(result)
