-- The status code of an HTTP response is a number.
local resp = http_client.get("http://x")
if resp.status_code == "404" then -- expect-error: comparison of number with string is always false
    print("missing")
end
if resp.status_code == 404 then
    print("missing")
end
