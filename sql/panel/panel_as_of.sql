SELECT as_of FROM panel_params
