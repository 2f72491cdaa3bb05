-- `e as T` turns any into a declared type.
type P = {name: string}
local data = json.decode("{}") as P
print(data.name)
