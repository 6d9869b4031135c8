app_name = "measurements"

urlpatterns: list = []
