-- The error dropped entirely: left to strict mode.
local data = json.decode("{}")
print(data.name)
